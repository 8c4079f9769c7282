/** Waiting for a call's result: stream first, one reconnect, then polling; bounded by timeout and cancel. */
import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import { callRequest, FAST_EMULATOR, LeakWitness, phoneEnding, SENTINEL, sentinelUser, until } from './helpers';

let emulator: RunningEmulator;
const witness = new LeakWitness();

beforeAll(async () => {
	emulator = await start(FAST_EMULATOR);
});
beforeEach(() => {
	witness.events.length = 0;
});
afterEach(() => emulator.controls.clearFaults());
afterAll(() => emulator.stop());

/** Places a call lasting `seconds` simulated seconds (10 ms per simulated minute). */
async function placeCall(client: ReturnType<LeakWitness['client']>, seconds = 180, lastFour = '0123') {
	const dialed = phoneEnding(lastFour);
	emulator.controls.scriptNumber(dialed, { durationSeconds: seconds });
	return (await client.createCall(callRequest({ dialed_number: dialed }))).call_id;
}

function streamsOf(callId: string) {
	return emulator.controls.stats().requests.filter((r) => r.path.endsWith(`${callId}/stream`));
}

function pathTaken() {
	return witness.events.filter((e) => e.type !== 'request' && e.type !== 'retry').map((e) => e.type);
}

it('the result arrives over the stream as soon as the call ends', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const callId = await placeCall(client, 180, '0101');

	const result = witness.see(await client.waitForResult(callId, { silenceMs: 1000 }));

	expect(result).toMatchObject({ call_id: callId, status: 'completed', raw_status: 'HungupByPeer' });
	expect(result.transcript.length).toBeGreaterThan(0);
	expect(pathTaken()).toEqual(['stream-open']);
	expect(streamsOf(callId)).toHaveLength(1);
});

it('a 2 MB transcript arrives intact over the stream', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const dialed = phoneEnding('0123');
	emulator.controls.scriptNumber(dialed, { durationSeconds: 120, transcriptBytes: 2_000_000 });
	const { call_id } = await client.createCall(callRequest({ dialed_number: dialed }));

	const result = await client.waitForResult(call_id, { silenceMs: 5000 });

	expect(result.transcript_text.length).toBeGreaterThan(1_500_000);
	expect(result.transcript_text.split('\n')).toHaveLength(result.transcript.length);
	expect(pathTaken()).toEqual(['stream-open']);
});

it('a stream with only heartbeats for longer than silenceMs keeps waiting', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const callId = await placeCall(client, 4800); // 800 ms, heartbeats every 20 ms

	const result = await client.waitForResult(callId, { silenceMs: 300 });

	expect(result.status).toBe('completed');
	expect(pathTaken()).toEqual(['stream-open']);
});

it('a dropped stream is reconnected once, then polling delivers the result once', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const callId = await placeCall(client, 600); // 100 ms
	emulator.controls.faults({ dropStreams: 2 });

	const result = witness.see(await client.waitForResult(callId, { pollIntervalMs: 20, silenceMs: 200 }));

	expect(result).toMatchObject({ call_id: callId, status: 'completed' });
	expect(pathTaken()).toEqual(['stream-open', 'stream-retry', 'polling']);
	const streams = streamsOf(callId);
	expect(streams).toHaveLength(2);
	// The emulator drops a stream before any event id, so there is none to send back.
	expect(streams[1].lastEventId).toBeUndefined();
	const polls = emulator.controls.stats().requests.filter((r) => r.method === 'GET' && r.path.endsWith(callId));
	expect(polls.length).toBeGreaterThan(0);
});

it('a silent stream is given up after silenceMs and the reconnect gets the result', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const callId = await placeCall(client, 3000); // 500 ms; the silent stream would stay open 1.5 s
	emulator.controls.faults({ silentStreams: 1 });
	const started = Date.now();

	const result = await client.waitForResult(callId, { silenceMs: 150, pollIntervalMs: 20 });

	expect(result.status).toBe('completed');
	expect(pathTaken()).toEqual(['stream-open', 'stream-retry']);
	expect(Date.now() - started).toBeLessThan(1400);
});

it('a 500 on the stream is reconnected once and the result still comes by stream', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const callId = await placeCall(client, 300);
	emulator.controls.faults({ error500: { count: 1, path: '/stream' } });

	const result = await client.waitForResult(callId, { silenceMs: 1000 });

	expect(result.status).toBe('completed');
	expect(pathTaken()).toEqual(['stream-open', 'stream-retry']);
	expect(streamsOf(callId).map((r) => r.status)).toEqual([500, 200]);
});

it('an unknown call id fails at once with NOT_FOUND instead of polling', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));

	const error = await witness.failure(client.waitForResult('no-such-call', { pollIntervalMs: 20 }));

	expect(error.code).toBe('NOT_FOUND');
	expect(error.callId).toBe('no-such-call');
	expect(pathTaken()).toEqual(['stream-open']);
});

it('a token that expires while waiting fails at once with TOKEN_EXPIRED', async () => {
	const user = sentinelUser(emulator);
	const client = witness.client(emulator, user);
	const callId = await placeCall(client, 600);
	emulator.controls.expireToken(user.token);

	const error = await witness.failure(client.waitForResult(callId));

	expect(error.code).toBe('TOKEN_EXPIRED');
	expect(error.callId).toBe(callId);
	expect(streamsOf(callId)).toHaveLength(1);
});

it('waiting longer than timeoutMs ends with WAIT_TIMEOUT, naming the call and suggesting Get Call', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const callId = await placeCall(client, 7200); // 1.2 s
	const started = Date.now();

	const error = await witness.failure(client.waitForResult(callId, { timeoutMs: 100 }));

	expect(error.code).toBe('WAIT_TIMEOUT');
	expect(error.callId).toBe(callId);
	expect(error.hint).toContain('Get Call');
	expect(Date.now() - started).toBeLessThan(1000); // the call itself runs 1.2 s
});

it('cancelling the execution ends a wait on the stream within a second', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const callId = await placeCall(client, 7200);
	const controller = new AbortController();
	let abortedAt = 0;
	setTimeout(() => {
		abortedAt = Date.now();
		controller.abort();
	}, 50);

	const error = await witness.failure(client.waitForResult(callId, { signal: controller.signal }));

	expect(error.code).toBe('CANCELLED');
	expect(error.callId).toBe(callId);
	expect(Date.now() - abortedAt).toBeLessThan(1000);
});

it('cancelling the execution ends a wait between two polls within a second', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const callId = await placeCall(client, 7200);
	emulator.controls.faults({ dropStreams: 2 });
	const controller = new AbortController();
	const waiting = witness.failure(client.waitForResult(callId, { signal: controller.signal, pollIntervalMs: 60_000 }));
	await until(() => pathTaken().includes('polling'));
	const abortedAt = Date.now();
	controller.abort();

	const error = await waiting;

	expect(error.code).toBe('CANCELLED');
	expect(Date.now() - abortedAt).toBeLessThan(1000);
});

it('never reveals an access token in any result, error, hint or log line above', () => {
	expect(witness.count).toBeGreaterThan(20);
	for (const text of witness.texts()) expect(text).not.toContain(SENTINEL);
});
