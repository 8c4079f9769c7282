import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { voiceClientFor } from '../../adapters/voice-client';
import { buildCallRequest } from '../../shared/call-input';
import { PineVoiceError } from '../../shared/errors';
import { readCallFields, readConcurrency, readOptions } from './read-parameters';
import { runPerItem } from './run-per-item';

const MINUTE_MS = 60_000;
/** Time beyond the call's max duration that Pine may need to finish the transcript and summary. */
const WAIT_MARGIN_MINUTES = 5;

export async function placeAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await voiceClientFor(this);
	const signal = this.getExecutionCancelSignal();
	return await runPerItem(this, {
		concurrency: readConcurrency(this),
		read: (itemIndex) => {
			const request = buildCallRequest(readCallFields(this, itemIndex));
			const options = readOptions(this, itemIndex);
			const timeoutMinutes =
				Number(options.waitTimeoutMinutes) > 0
					? Number(options.waitTimeoutMinutes)
					: (request.max_duration_minutes ?? 120) + WAIT_MARGIN_MINUTES;
			return {
				request,
				timeoutMs: timeoutMinutes * MINUTE_MS,
				pollIntervalMs: Math.max(1, Number(options.pollIntervalSeconds) || 10) * 1000,
			};
		},
		work: async ({ request, timeoutMs, pollIntervalMs }) => {
			const placed = await client.createCall(request, { signal });
			const result = await client
				.waitForResult(placed.call_id, { signal, timeoutMs, pollIntervalMs })
				.catch((error: unknown) => Promise.reject(withCallId(error, placed.call_id)));
			return { ...result, dialed_number: request.dialed_number, callee_name: request.callee_name };
		},
	});
}

/** A failed wait still names the call: it was placed and may yet end, so Get Call can read it later. */
function withCallId(error: unknown, callId: string): unknown {
	if (error instanceof PineVoiceError && !error.callId) error.callId = callId;
	return error;
}
