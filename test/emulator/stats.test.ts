import { start } from './server';
import { callBody, FAST, newUser, phoneEnding, placeCall, postCall, waitUntilEnded } from './test-helpers';
import type { RunningEmulator } from './types';

let emulator: RunningEmulator;
beforeAll(async () => {
	emulator = await start({ ...FAST, maxConcurrentCalls: 2 });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.controls.resetStats());

it('counts every POST /voice/call in postsReceived, but only created calls in callsCreated', async () => {
	const user = newUser(emulator);
	await postCall(emulator, user, 'not json');
	await postCall(emulator, user, callBody({ dialed_number: '+33123456789' }));
	await postCall(emulator, newUser(emulator, { subscription: false }), callBody());
	await placeCall(emulator, user);
	expect(emulator.controls.stats()).toMatchObject({ postsReceived: 4, callsCreated: 1 });
});

it('tracks the highest number of in-progress calls per user', async () => {
	const user = newUser(emulator);
	const dialed_number = phoneEnding('0123');
	emulator.controls.scriptNumber(dialed_number, { durationSeconds: 1000 });
	await placeCall(emulator, user, { dialed_number });
	await placeCall(emulator, user, { dialed_number });
	expect((await postCall(emulator, user, callBody())).status).toBe(429);
	expect(emulator.controls.inProgress(user.userId)).toBe(2);
	expect(emulator.controls.stats().maxConcurrency[user.userId]).toBe(2);
});

it('records each request with its method, path, headers of interest, body and status, but never the token', async () => {
	const user = newUser(emulator);
	const body = callBody();
	await fetch(`${emulator.url}/api/v2/voice/call`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${user.token}`, 'X-Pine-User-Id': user.userId, 'User-Agent': 'stats-test/1.0' },
		body: JSON.stringify(body),
	});
	await fetch(`${emulator.url}/api/v2/voice/call/x`);
	const stats = emulator.controls.stats();
	expect(stats.requests).toEqual([
		{
			method: 'POST',
			path: '/api/v2/voice/call',
			at: expect.any(Number),
			authorized: true,
			userId: user.userId,
			userAgent: 'stats-test/1.0',
			body,
			status: 200,
		},
		expect.objectContaining({ method: 'GET', path: '/api/v2/voice/call/x', authorized: false, status: 401 }),
	]);
	expect(JSON.stringify(stats)).not.toContain(user.token);
});

it('records when each call ended', async () => {
	const user = newUser(emulator);
	const callId = await placeCall(emulator, user);
	expect(emulator.controls.stats().completions[callId]).toBeUndefined();
	await waitUntilEnded(emulator, callId);
	expect(emulator.controls.stats().completions[callId]).toEqual(expect.any(Number));
});

it('returns a snapshot that later requests and callers cannot change', async () => {
	const snapshot = emulator.controls.stats();
	snapshot.postsReceived = 99;
	await postCall(emulator, newUser(emulator), callBody());
	expect(snapshot.requests).toHaveLength(0);
	expect(emulator.controls.stats().postsReceived).toBe(1);
});

it('starts from zero after resetStats', async () => {
	await placeCall(emulator, newUser(emulator));
	emulator.controls.resetStats();
	expect(emulator.controls.stats()).toEqual({ postsReceived: 0, callsCreated: 0, maxConcurrency: {}, requests: [], completions: {} });
});
