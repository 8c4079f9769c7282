import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { testPineVoiceCredential } from '../adapters/credential-test';
import { toNodeError } from '../adapters/node-error';
import { voiceClientFor } from '../adapters/voice-client';
import type { CallResult } from '../shared/types';
import { parseCallIds, pollCallIds } from './actions/watch-call-ids';
import { pollPlacedCalls } from './actions/watch-placed-calls';

export class PineVoiceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pine Voice Trigger',
		name: 'pineVoiceTrigger',
		icon: { light: 'file:pineVoiceTrigger.svg', dark: 'file:pineVoiceTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["watch"] === "callIds" ? "Watched call IDs" : "Calls placed by Pine Voice"}}',
		description: 'Starts the workflow once for each Pine Voice call that ends, with its transcript and summary',
		defaults: { name: 'Pine Voice Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pineVoiceApi', required: true, testedBy: 'testPineVoiceCredential' }],
		properties: [
			{
				displayName:
					'Pine cannot list calls, so this trigger watches calls placed by the Pine Voice node (Place Call, with Register for Trigger on) on this n8n instance, or the call IDs you give it',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Watch',
				name: 'watch',
				type: 'options',
				options: [
					{
						name: 'Calls Placed by Pine Voice',
						value: 'placedCalls',
						description: 'Calls placed by the Pine Voice node on this n8n instance',
					},
					{
						name: 'Call IDs',
						value: 'callIds',
						description: 'A list of call IDs',
					},
				],
				default: 'placedCalls',
			},
			{
				displayName: 'Scope',
				name: 'scope',
				type: 'options',
				options: [
					{
						name: 'This Workflow',
						value: 'thisWorkflow',
						description: 'Only calls placed by Pine Voice nodes in this workflow',
					},
					{
						name: 'All Workflows',
						value: 'allWorkflows',
						description: 'Calls placed by any workflow with the same Pine account',
					},
				],
				default: 'thisWorkflow',
				displayOptions: { show: { watch: ['placedCalls'] } },
			},
			{
				displayName: 'Call IDs',
				name: 'callIds',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890, f0e1d2c3-...',
				description: 'IDs of the calls to watch, separated by commas or new lines',
				displayOptions: { show: { watch: ['callIds'] } },
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				options: [
					{ name: 'Cancelled', value: 'cancelled' },
					{ name: 'Completed', value: 'completed', description: 'The call connected and ended (this does not mean the objective was met)' },
					{ name: 'Failed', value: 'failed', description: 'No answer, declined, or the call could not be made' },
				],
				default: ['cancelled', 'completed', 'failed'],
				description: 'Which ending statuses start the workflow',
			},
		],
	};

	methods = { credentialTest: { testPineVoiceCredential } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const statuses = this.getNodeParameter('statuses', []) as unknown;
		if (!Array.isArray(statuses)) {
			throw new NodeOperationError(this.getNode(), 'Statuses must be a list, such as ["completed", "failed"]', {
				description: 'Pick the statuses in the list, or make the expression return a list',
			});
		}
		const accept = (call: CallResult) => statuses.includes(call.status);
		let calls: CallResult[];
		try {
			const client = await voiceClientFor(this);
			if (this.getNodeParameter('watch') === 'callIds') {
				calls = await pollCallIds(this, client, parseCallIds(this.getNodeParameter('callIds')), accept);
			} else {
				const thisWorkflowOnly = this.getNodeParameter('scope', 'thisWorkflow') === 'thisWorkflow';
				calls = await pollPlacedCalls(
					this,
					client,
					{
						pineUserId: client.userId,
						workflowId: thisWorkflowOnly ? String(this.getWorkflow().id) : undefined,
					},
					accept,
				);
			}
		} catch (error) {
			throw toNodeError(this.getNode(), error);
		}
		if (calls.length === 0) return null;
		return [calls.map((call) => ({ json: { ...call } as IDataObject }))];
	}
}
