import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * Test-only node: sends one GET through n8n's own authenticated request helper with the
 * pineVoiceApi credential, the way n8n's HTTP Request node would use it.
 */
export class CredentialProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Credential Probe',
		name: 'credentialProbe',
		group: ['transform'],
		version: 1,
		description: 'GETs a path with the Pine Voice credential',
		defaults: { name: 'Credential Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'pineVoiceApi', required: true }],
		properties: [{ displayName: 'Path', name: 'path', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('pineVoiceApi');
		const path = this.getNodeParameter('path', 0) as string;
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'pineVoiceApi', {
			method: 'GET',
			url: `${String(credentials.gatewayUrl)}${path}`,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: true,
		})) as { statusCode: number; body: unknown };
		return [[{ json: { statusCode: response.statusCode, body: response.body as object } }]];
	}
}
