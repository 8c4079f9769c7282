import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { errorCode, toNodeError } from '../adapters/node-error';
import { DEFAULT_AUTH_URL, runAuthStep } from './actions/run-auth-step';

export class PineVoiceAuth implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pine Voice Auth',
		name: 'pineVoiceAuth',
		icon: { light: 'file:pineVoiceAuth.svg', dark: 'file:pineVoiceAuth.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "verifyCode" ? "Verify Code" : "Request Code" }}',
		description: 'Sign in to Pine with an emailed code to get the access token for the Pine Voice credential',
		defaults: { name: 'Pine Voice Auth' },
		// Deliberately not an AI tool: its output is an access token, a secret that must never enter a
		// model's context. (Stated here so that n8n's lint sees the decision was made.)
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					'Step 1: Request Code emails you a code. Step 2: Verify Code with that code and the request_token of step 1. Copy access_token into the Pine Voice credential\'s Access Token and user_id into its User ID. The access token is a secret: do not save this output anywhere else.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Request Code',
						value: 'requestCode',
						action: 'Request a sign in code',
						description: 'Email a one-time sign-in code to your Pine account address',
					},
					{
						name: 'Verify Code',
						value: 'verifyCode',
						action: 'Verify a sign in code',
						description: 'Exchange the emailed code for an access token and user ID',
					},
				],
				default: 'requestCode',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				required: true,
				default: '',
				description: 'The email address of your Pine account',
			},
			{
				displayName: 'Request Token',
				name: 'requestToken',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				description: 'The request_token output of Request Code',
				displayOptions: { show: { operation: ['verifyCode'] } },
			},
			{
				displayName: 'Code',
				name: 'code',
				type: 'string',
				required: true,
				default: '',
				placeholder: '123456',
				description: 'The code from the email Pine sent you. It expires after a few minutes.',
				displayOptions: { show: { operation: ['verifyCode'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Auth URL',
						name: 'authUrl',
						type: 'string',
						default: DEFAULT_AUTH_URL,
						description: 'Base URL of Pine\'s sign-in API',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const results: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				results.push({ json: await runAuthStep(this, itemIndex), pairedItem: { item: itemIndex } });
			} catch (error) {
				if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, itemIndex);
				const message = toNodeError(this.getNode(), error, itemIndex).message;
				results.push({ json: { error: message, code: errorCode(error) ?? null }, pairedItem: { item: itemIndex } });
			}
		}
		return [results];
	}
}
