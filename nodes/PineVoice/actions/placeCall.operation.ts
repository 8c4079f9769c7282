import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { voiceClientFor } from '../../adapters/voice-client';
import { buildCallRequest } from '../../shared/call-input';
import { CallRegistry } from '../../shared/call-registry';
import { readCallFields, readConcurrency, readOptions } from './read-parameters';
import { runPerItem } from './run-per-item';

export async function placeCall(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await voiceClientFor(this);
	const { userId } = await this.getCredentials('pineVoiceApi');
	const signal = this.getExecutionCancelSignal();
	const registry = new CallRegistry();
	const workflowId = String(this.getWorkflow().id ?? '');
	const nodeName = this.getNode().name;

	return await runPerItem(this, {
		concurrency: readConcurrency(this),
		read: (itemIndex) => ({
			request: buildCallRequest(readCallFields(this, itemIndex)),
			register: readOptions(this, itemIndex).registerForTrigger !== false,
		}),
		work: async ({ request, register }) => {
			const placed = await client.createCall(request, { signal });
			const placedAt = new Date().toISOString();
			if (register) {
				await registry.register({
					callId: placed.call_id,
					pineUserId: String(userId),
					workflowId,
					nodeName,
					placedAt,
					calleeName: request.callee_name,
					dialedNumber: request.dialed_number,
				});
			}
			return {
				call_id: placed.call_id,
				status: placed.status,
				dialed_number: request.dialed_number,
				callee_name: request.callee_name,
				placed_at: placedAt,
			};
		},
	});
}
