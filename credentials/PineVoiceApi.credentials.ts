import type { IAuthenticateGeneric, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

export class PineVoiceApi implements ICredentialType {
	name = 'pineVoiceApi';

	displayName = 'Pine Voice API';

	icon: Icon = { light: 'file:pineVoice.svg', dark: 'file:pineVoice.dark.svg' };

	documentationUrl = 'https://github.com/pine-voice/n8n-nodes-pine-voice#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				'Get these values with the Pine Voice Auth node: run Request Code, then Verify Code, and copy its output here.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The access_token output of the Pine Voice Auth node (Verify Code)',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			required: true,
			description: 'The user_id output of the Pine Voice Auth node (Verify Code)',
		},
		{
			displayName: 'Gateway URL',
			name: 'gatewayUrl',
			type: 'string',
			default: 'https://agent3-api-gateway-staging.19pine.ai',
			description: 'Base URL of the Pine Voice gateway. Change it only if Pine gave you another one.',
		},
	];

	// Both headers are set here so the credential also works in n8n's HTTP Request node.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
				'X-Pine-User-Id': '={{$credentials.userId}}',
			},
		},
	};
}
