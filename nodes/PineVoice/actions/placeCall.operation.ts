import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { voiceClientFor } from '../../adapters/voice-client';
import { buildCallRequest } from '../../shared/call-input';
import { readCallFields, readConcurrency } from './read-parameters';
import { runPerItem } from './run-per-item';

export async function placeCall(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await voiceClientFor(this);
	const signal = this.getExecutionCancelSignal();
	return await runPerItem(this, {
		concurrency: readConcurrency(this),
		read: (itemIndex) => buildCallRequest(readCallFields(this, itemIndex)),
		work: async (request) => {
			const placed = await client.createCall(request, { signal });
			return {
				call_id: placed.call_id,
				status: placed.status,
				dialed_number: request.dialed_number,
				callee_name: request.callee_name,
				placed_at: new Date().toISOString(),
			};
		},
	});
}
