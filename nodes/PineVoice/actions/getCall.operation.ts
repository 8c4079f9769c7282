import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { voiceClientFor } from '../../adapters/voice-client';
import { readText } from '../../shared/call-input';
import { InputError } from '../../shared/input-error';
import { isWellFormedText } from '../../shared/json';
import { readConcurrency } from './read-parameters';
import { runPerItem } from './run-per-item';

export async function getCall(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await voiceClientFor(this);
	const signal = this.getExecutionCancelSignal();
	return await runPerItem(this, {
		concurrency: readConcurrency(this),
		read: (itemIndex) => {
			const callId = readText(this.getNodeParameter('callId', itemIndex, ''), 'callId', 'Call ID');
			if (!callId) throw new InputError('callId', 'Call ID is empty: map the call_id output of Place Call');
			if (!isWellFormedText(callId)) throw new InputError('callId', 'Call ID contains broken characters: map the call_id output of Place Call');
			return callId;
		},
		work: async (callId) => ({ ...(await client.getCall(callId, { signal })) }),
	});
}
