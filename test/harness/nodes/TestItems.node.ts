import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/** Test-only start node: outputs the JSON array in its `items` parameter, like a spreadsheet read. */
export class TestItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Outputs fixed items',
		defaults: { name: 'Test Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items (JSON)', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | object[];
		const rows = (typeof raw === 'string' ? JSON.parse(raw) : raw) as object[];
		return [rows.map((json) => ({ json: json as INodeExecutionData['json'] }))];
	}
}
