/*
 * The waiting strategy of Pine's own clients (the pine-voice Python package, the OpenClaw plugin):
 * POST the call, then GET it every 10 s until it is terminal. It is also what a hand-wired n8n
 * flow does (HTTP Request POST -> Wait 10 s -> HTTP Request GET -> IF not done, back to Wait).
 * Same HTTP client as the node (PineVoiceClient over undici), so only the waiting differs.
 */
import { isTerminalStatus } from '../../nodes/shared/status';
import type { CallRequest } from '../../nodes/shared/types';
import type { PineVoiceClient } from '../../nodes/shared/voice-client';
import { mapWithConcurrency as slidingWindow } from '../../nodes/shared/batch';

/** Bounded: no call in the bench lasts more than this many polls. */
const MAX_POLLS = 10_000;

export interface PolledCall {
	callId: string;
	/** Date.now() when the terminal GET answer was in hand. */
	resultAt: number;
}

export async function placeAndPoll(client: PineVoiceClient, request: CallRequest, intervalMs: number): Promise<PolledCall> {
	const { call_id: callId } = await client.createCall(request);
	for (let poll = 0; poll < MAX_POLLS; poll++) {
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
		const result = await client.getCall(callId);
		if (isTerminalStatus(result.status)) return { callId, resultAt: Date.now() };
	}
	throw new Error(`Call ${callId} did not end after ${MAX_POLLS} polls`);
}

/** A sliding window of `slots` calls, each placed and polled: the node's scheduling, Pine's waiting. */
export async function pollingWindow(
	client: PineVoiceClient,
	requests: CallRequest[],
	slots: number,
	intervalMs: number,
): Promise<PolledCall[]> {
	return await slidingWindow(requests.length, slots, (index) => placeAndPoll(client, requests[index], intervalMs));
}

/**
 * What a hand-wired n8n loop does: Loop Over Items in batches of `slots`, each batch POSTed, then
 * Wait 10 s / GET / IF until every call of the batch is done, then the next batch.
 */
export async function pollingChunks(
	client: PineVoiceClient,
	requests: CallRequest[],
	slots: number,
	intervalMs: number,
): Promise<PolledCall[]> {
	const results: PolledCall[] = [];
	for (let start = 0; start < requests.length; start += slots) {
		const chunk = requests.slice(start, start + slots);
		results.push(...(await Promise.all(chunk.map((request) => placeAndPoll(client, request, intervalMs)))));
	}
	return results;
}

/** The call body the node sends for a bench row (communicator: no detailed instructions needed). */
export function benchRequest(phone: string, index: number): CallRequest {
	return {
		dialed_number: phone,
		callee_name: `Office ${index}`,
		callee_context: `Dentist office number ${index}, open Mon-Fri 9am-5pm`,
		call_objective: 'Schedule a dental cleaning for next Tuesday afternoon',
		caller: 'communicator',
	};
}
