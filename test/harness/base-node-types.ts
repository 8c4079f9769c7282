import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

/** The n8n-nodes-base nodes the example workflows use, loaded from n8n's own package. */
const BASE_NODES: Record<string, string> = {
	manualTrigger: 'ManualTrigger/ManualTrigger.node',
	readWriteFile: 'Files/ReadWriteFile/ReadWriteFile.node',
	extractFromFile: 'Files/ExtractFromFile/ExtractFromFile.node',
	convertToFile: 'Files/ConvertToFile/ConvertToFile.node',
	set: 'Set/Set.node',
	stickyNote: 'StickyNote/StickyNote.node',
};

export function baseNodeTypes(): Record<string, INodeType | IVersionedNodeType> {
	const types: Record<string, INodeType | IVersionedNodeType> = {};
	for (const [name, file] of Object.entries(BASE_NODES)) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- node files are loaded by path, as n8n's own loader does
		const exported = require(`n8n-nodes-base/dist/nodes/${file}`) as Record<string, new () => INodeType>;
		const NodeClass = Object.values(exported)[0];
		types[`n8n-nodes-base.${name}`] = new NodeClass();
	}
	return types;
}
