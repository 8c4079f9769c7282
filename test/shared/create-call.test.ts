/** Placing a call never phones anyone twice by accident, and waits out Pine's concurrency limit. */
import { CallError, RateLimitError, USER_AGENT } from '../../nodes/shared';
import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import { callRequest, closedPort, FAST_EMULATOR, LeakWitness, SENTINEL, sentinelUser } from './helpers';

let emulator: RunningEmulator;
const witness = new LeakWitness();

beforeAll(async () => {
	emulator = await start(FAST_EMULATOR);
});
afterEach(() => emulator.controls.clearFaults());
afterAll(() => emulator.stop());

function postsSince(stats: { postsReceived: number; callsCreated: number }) {
	const now = emulator.controls.stats();
	return { posts: now.postsReceived - stats.postsReceived, created: now.callsCreated - stats.callsCreated };
}

it('places a call and returns its id, sending the body the way Pine’s own client does', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const request = callRequest();
	const created = witness.see(await client.createCall(request));

	expect(created).toEqual({ call_id: expect.any(String), status: 'in_progress' });
	const sent = emulator.controls.calls().find((call) => call.callId === created.call_id)?.request;
	expect(sent).toEqual({
		dialed_number: request.dialed_number,
		callee_name: request.callee_name,
		callee_context: request.callee_context,
		call_objective: request.call_objective,
		caller: 'communicator',
		detailed_instructions: '',
		max_duration_minutes: 120,
	});
	const post = emulator.controls.stats().requests.find((record) => record.method === 'POST');
	expect(post?.userAgent).toBe(USER_AGENT);
	expect(USER_AGENT).toMatch(/^n8n-nodes-pine-voice\/\d+\.\d+\.\d+/);
});

it('sends caller, voice and enable_summary only when they are set', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const request = callRequest({ caller: 'communicator', voice: 'male', enable_summary: true, max_duration_minutes: 5 });
	const created = await client.createCall(request);

	const sent = emulator.controls.calls().find((call) => call.callId === created.call_id)?.request;
	expect(sent).toMatchObject({ caller: 'communicator', voice: 'male', enable_summary: true, max_duration_minutes: 5 });
});

it('a reset after the POST reached Pine says the call may have been placed, and is not retried', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	emulator.controls.faults({ resetAfterPost: 1 });
	const before = emulator.controls.stats();

	const error = await witness.failure(client.createCall(callRequest()));

	expect(error).toBeInstanceOf(CallError);
	expect(error.code).toBe('CALL_STATE_UNKNOWN');
	expect(error.message).toContain('may have been placed');
	expect(error.hint).toContain('retrying could phone the person twice');
	expect(postsSince(before)).toEqual({ posts: 1, created: 1 });
});

it('a 500 answer to the POST is reported as an unknown call state and sent only once', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	emulator.controls.faults({ error500: { count: 1, method: 'POST' } });
	const before = emulator.controls.stats();

	const error = await witness.failure(client.createCall(callRequest()));

	expect(error.code).toBe('CALL_STATE_UNKNOWN');
	expect(error.httpStatus).toBe(500);
	expect(postsSince(before).posts).toBe(1);
});

it('an HTML 502 from a proxy gives a readable message instead of a crash', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	emulator.controls.faults({ nonJson502: { count: 1, method: 'POST' } });
	const before = emulator.controls.stats();

	const error = await witness.failure(client.createCall(callRequest()));

	expect(error.code).toBe('CALL_STATE_UNKNOWN');
	expect(error.httpStatus).toBe(502);
	expect(error.message).toContain('Pine answered HTTP 502 with a non-JSON body (text/html): "502 Bad Gateway"');
	expect(postsSince(before).posts).toBe(1);
});

it('an answer slower than the headers timeout is an unknown call state, not a retry', async () => {
	// undici checks headers timeouts on a coarse (about 1 s) clock, hence the long delay.
	const client = witness.client(emulator, sentinelUser(emulator), { headersTimeoutMs: 50 });
	emulator.controls.faults({ slow: { count: 1, delayMs: 3000, method: 'POST' } });
	const before = emulator.controls.stats();

	const error = await witness.failure(client.createCall(callRequest()));

	expect(error.code).toBe('CALL_STATE_UNKNOWN');
	expect(postsSince(before).posts).toBe(1);
});

it('a sixth call waits for Retry-After and is placed once one of the five running calls ends', async () => {
	const user = sentinelUser(emulator);
	const client = witness.client(emulator, user);
	emulator.controls.scriptNumber('+14155550888', { durationSeconds: 3600 }); // 600 ms each
	for (let i = 0; i < 5; i++) await client.createCall(callRequest({ dialed_number: '+14155550888' }));
	witness.events.length = 0;

	const created = await client.createCall(callRequest());

	expect(created.call_id).toEqual(expect.any(String));
	const retries = witness.events.filter((event) => event.type === 'retry');
	expect(retries.length).toBeGreaterThan(0);
	for (const retry of retries) expect(retry).toMatchObject({ method: 'POST', reason: 'RATE_LIMITED', delayMs: 50 });
	expect(emulator.controls.stats().maxConcurrency[user.userId]).toBe(5);
});

it('gives up waiting for a free slot once rateLimitWaitMs is spent', async () => {
	const user = sentinelUser(emulator);
	const client = witness.client(emulator, user);
	emulator.controls.scriptNumber('+14155550889', { durationSeconds: 7200 }); // 1.2 s each
	for (let i = 0; i < 5; i++) await client.createCall(callRequest({ dialed_number: '+14155550889' }));
	const started = Date.now();

	const error = await witness.failure(client.createCall(callRequest(), { rateLimitWaitMs: 120 }));

	expect(error).toBeInstanceOf(RateLimitError);
	expect(Date.now() - started).toBeLessThan(1000); // before any of the 1.2 s calls ended
	expect(emulator.controls.inProgress(user.userId)).toBe(5);
});

it('a refused connection is retried, then reported as a network error (nothing was sent)', async () => {
	const port = await closedPort();
	const client = witness.client(emulator, sentinelUser(emulator), { gatewayUrl: `http://127.0.0.1:${port}/` });
	witness.events.length = 0;

	const error = await witness.failure(client.createCall(callRequest()));

	expect(error.code).toBe('NETWORK_ERROR');
	expect(error).not.toBeInstanceOf(CallError);
	expect(error.message).toContain('the connection was refused');
	expect(witness.events.filter((event) => event.type === 'request')).toHaveLength(4);
	expect(witness.events.filter((event) => event.type === 'retry')).toHaveLength(3);
});

it('stops at once when the signal aborts while waiting for a free slot', async () => {
	const user = sentinelUser(emulator);
	const client = witness.client(emulator, user);
	emulator.controls.scriptNumber('+14155550890', { durationSeconds: 7200 });
	for (let i = 0; i < 5; i++) await client.createCall(callRequest({ dialed_number: '+14155550890' }));
	const controller = new AbortController();
	setTimeout(() => controller.abort(), 80);

	const error = await witness.failure(client.createCall(callRequest(), { signal: controller.signal }));

	expect(error.code).toBe('CANCELLED');
});

it('never reveals an access token in any result, error, hint or log line above', () => {
	expect(witness.count).toBeGreaterThan(20);
	for (const text of witness.texts()) expect(text).not.toContain(SENTINEL);
});
