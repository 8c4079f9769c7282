import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { voiceClientFor } from '../../adapters/voice-client';
import { CallRegistry } from '../../shared/call-registry';
import { callPlacer, readPlaceInput } from './place';
import { readConcurrency, readOptions } from './read-parameters';
import { runPerItem } from './run-per-item';

export async function placeCall(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await voiceClientFor(this);
	const place = callPlacer(client, this.getExecutionCancelSignal());
	const registry = new CallRegistry();
	const workflowId = String(this.getWorkflow().id ?? '');
	const nodeName = this.getNode().name;

	return await runPerItem(this, {
		concurrency: readConcurrency(this),
		read: (itemIndex) => ({
			...readPlaceInput(this, itemIndex),
			register: readOptions(this, itemIndex).registerForTrigger !== false,
		}),
		work: async (input) => {
			const { request } = input;
			const placed = await place(input);
			if (input.register && !placed.deduplicated) {
				await registry.register({
					callId: placed.call_id,
					pineUserId: client.userId,
					workflowId,
					nodeName,
					placedAt: placed.placedAt,
					calleeName: request.callee_name,
					dialedNumber: request.dialed_number,
				});
			}
			const status = placed.status ?? (await client.getCall(placed.call_id)).status;
			return {
				call_id: placed.call_id,
				status,
				dialed_number: request.dialed_number,
				callee_name: request.callee_name,
				placed_at: placed.placedAt,
				...(placed.deduplicated ? { deduplicated: true } : {}),
			};
		},
	});
}
