import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { voiceClientFor } from '../../adapters/voice-client';
import { PineVoiceError } from '../../shared/errors';
import { callPlacer, readPlaceInput } from './place';
import { readConcurrency, readOptions } from './read-parameters';
import { runPerItem } from './run-per-item';

const MINUTE_MS = 60_000;
/** Time beyond the call's max duration that Pine may need to finish the transcript and summary. */
const WAIT_MARGIN_MINUTES = 5;

export async function placeAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const client = await voiceClientFor(this);
	const signal = this.getExecutionCancelSignal();
	const place = callPlacer(client, signal);
	return await runPerItem(this, {
		concurrency: readConcurrency(this),
		read: (itemIndex) => {
			const input = readPlaceInput(this, itemIndex);
			const options = readOptions(this, itemIndex);
			const timeoutMinutes =
				Number(options.waitTimeoutMinutes) > 0
					? Number(options.waitTimeoutMinutes)
					: (input.request.max_duration_minutes ?? 120) + WAIT_MARGIN_MINUTES;
			return {
				...input,
				timeoutMs: timeoutMinutes * MINUTE_MS,
				pollIntervalMs: Math.max(1, Number(options.pollIntervalSeconds) || 10) * 1000,
			};
		},
		work: async (input) => {
			const placed = await place(input);
			const result = await client
				.waitForResult(placed.call_id, { signal, timeoutMs: input.timeoutMs, pollIntervalMs: input.pollIntervalMs })
				.catch((error: unknown) => Promise.reject(withCall(error, placed.call_id, placed.deduplicated)));
			return {
				...result,
				dialed_number: input.request.dialed_number,
				callee_name: input.request.callee_name,
				...(placed.deduplicated ? { deduplicated: true } : {}),
			};
		},
	});
}

/** A failed wait still names the call: it was placed and may yet end, so Get Call can read it later. */
function withCall(error: unknown, callId: string, deduplicated: boolean): unknown {
	if (error instanceof PineVoiceError) {
		error.callId ??= callId;
		if (deduplicated) error.deduplicated = true;
	}
	return error;
}
