/** Reading a call: tolerant parsing, normalized statuses, and retries that are safe for GETs. */
import { CallError } from '../../nodes/shared';
import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import {
	callRequest,
	FAST_EMULATOR,
	LeakWitness,
	phoneEnding,
	SENTINEL,
	sentinelUser,
	waitUntilEnded,
} from './helpers';

let emulator: RunningEmulator;
const witness = new LeakWitness();

beforeAll(async () => {
	emulator = await start(FAST_EMULATOR);
});
afterEach(() => emulator.controls.clearFaults());
afterAll(() => emulator.stop());

function getsOf(callId: string) {
	return emulator.controls.stats().requests.filter((r) => r.method === 'GET' && r.path.endsWith(callId));
}

it('a finished call comes back with its transcript, one line per turn, summary and credits', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const { call_id } = await client.createCall(callRequest({ enable_summary: true }));
	await waitUntilEnded(emulator, call_id);

	const result = witness.see(await client.getCall(call_id));

	expect(result).toMatchObject({
		call_id,
		status: 'completed',
		raw_status: 'Completed',
		duration_seconds: 180,
		summary: expect.any(String),
		credits_charged: 50 + 20 * 3,
	});
	expect(result.transcript.length).toBeGreaterThan(0);
	expect(result.transcript_text.split('\n')).toEqual(result.transcript.map((t) => `${t.speaker}: ${t.text}`));
	expect(result.transcript_text).toMatch(/^agent: Hello/);
});

it('a call still running reads as in_progress with an empty transcript', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const dialed = phoneEnding('0123');
	emulator.controls.scriptNumber(dialed, { durationSeconds: 7200 });
	const { call_id } = await client.createCall(callRequest({ dialed_number: dialed }));
	await new Promise((resolve) => setTimeout(resolve, 10)); // past the emulator's brief "initiated" phase

	const result = await client.getCall(call_id);

	expect(result).toMatchObject({ call_id, status: 'in_progress', transcript: [], transcript_text: '' });
	expect(result).not.toHaveProperty('raw_status');
});

it.each([
	['0101', 'HungupByPeer', 'completed'],
	['0102', 'NoAnswer', 'failed'],
	['0103', 'Cancelled', 'cancelled'],
	['0104', 'Failed', 'failed'],
	['0105', 'DialFailed', 'failed'],
	['0106', 'Declined', 'failed'],
	['0107', 'Timeout', 'completed'],
	['0108', 'TooLongSilence', 'completed'],
	['0109', 'InternalError', 'failed'],
	['0110', 'HungupByLocal', 'completed'],
])('a number ending %s ends as %s, shown as status %s with raw_status kept', async (lastFour, raw, normalized) => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const { call_id } = await client.createCall(callRequest({ dialed_number: phoneEnding(lastFour) }));
	await waitUntilEnded(emulator, call_id);

	const result = await client.getCall(call_id);

	expect(result.status).toBe(normalized);
	expect(result.raw_status).toBe(raw);
});

it('two 500 answers in a row are retried and the third try succeeds', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const { call_id } = await client.createCall(callRequest());
	emulator.controls.faults({ error500: { count: 2, method: 'GET' } });

	const result = await client.getCall(call_id);

	expect(result.call_id).toBe(call_id);
	expect(getsOf(call_id).map((r) => r.status)).toEqual([500, 500, 200]);
});

it('a proxy answering HTML 502 on every try ends with a readable server error', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const { call_id } = await client.createCall(callRequest());
	emulator.controls.faults({ nonJson502: { count: 10, method: 'GET' } });

	const error = await witness.failure(client.getCall(call_id));

	expect(error.code).toBe('SERVER_ERROR');
	expect(error.httpStatus).toBe(502);
	expect(error.callId).toBe(call_id);
	expect(error.message).toBe('Pine answered HTTP 502 with a non-JSON body (text/html): "502 Bad Gateway"');
	expect(getsOf(call_id)).toHaveLength(4);
});

it('a call id with reserved characters is sent URL-encoded', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));

	const error = await witness.failure(client.getCall('a/b?c#d'));

	expect(error).toBeInstanceOf(CallError);
	expect(error.code).toBe('NOT_FOUND');
	expect(getsOf('a%2Fb%3Fc%23d')).toHaveLength(1);
});

it('never reveals an access token in any result, error, hint or log line above', () => {
	expect(witness.count).toBeGreaterThan(20);
	for (const text of witness.texts()) expect(text).not.toContain(SENTINEL);
});
