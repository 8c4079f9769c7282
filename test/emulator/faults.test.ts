import { start } from './server';
import {
	callBody,
	captureStream,
	errorOf,
	FAST,
	getCall,
	newUser,
	phoneEnding,
	placeCall,
	streamUrl,
	postCall,
	voiceHeaders,
} from './test-helpers';
import type { EmulatorUser, RunningEmulator } from './types';

let emulator: RunningEmulator;
let user: EmulatorUser;
beforeAll(async () => {
	emulator = await start(FAST);
	user = newUser(emulator);
});
afterAll(() => emulator.stop());
afterEach(() => emulator.controls.clearFaults());

describe('error500', () => {
	it('answers the next N matching requests 500 INTERNAL_ERROR, then normally', async () => {
		emulator.controls.faults({ error500: { count: 2 } });
		const error = await errorOf(await getCall(emulator, user, 'x'));
		expect(error).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', contentType: 'application/json' });
		expect((await getCall(emulator, user, 'x')).status).toBe(500);
		expect((await getCall(emulator, user, 'x')).status).toBe(404);
	});

	it('applies before authentication', async () => {
		emulator.controls.faults({ error500: { count: 1 } });
		expect((await fetch(`${emulator.url}/api/v2/voice/call/x`)).status).toBe(500);
	});

	it('is consumed only by requests matching its method and path', async () => {
		emulator.controls.faults({ error500: { count: 1, method: 'POST', path: '/voice/call' } });
		expect((await getCall(emulator, user, 'x')).status).toBe(404);
		expect((await postCall(emulator, user, callBody())).status).toBe(500);
		expect((await postCall(emulator, user, callBody())).status).toBe(200);
	});

	it('is removed by clearFaults', async () => {
		emulator.controls.faults({ error500: { count: 5 } });
		emulator.controls.clearFaults();
		expect((await getCall(emulator, user, 'x')).status).toBe(404);
	});
});

describe('nonJson502', () => {
	it('answers 502 with an HTML body, then normally', async () => {
		emulator.controls.faults({ nonJson502: { count: 1, path: '/api/v2/auth/' } });
		const response = await fetch(`${emulator.url}/api/v2/auth/email/request`, { method: 'POST', body: '{}' });
		expect(response.status).toBe(502);
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(await response.text()).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
		expect((await fetch(`${emulator.url}/api/v2/auth/email/request`, { method: 'POST', body: '{}' })).status).toBe(400);
	});
});

describe('slow', () => {
	it('delays the next matching request by delayMs, then handles it normally', async () => {
		emulator.controls.faults({ slow: { count: 1, delayMs: 200, method: 'GET' } });
		const before = Date.now();
		expect((await getCall(emulator, user, 'x')).status).toBe(404);
		expect(Date.now() - before).toBeGreaterThanOrEqual(195);
		const again = Date.now();
		await getCall(emulator, user, 'x');
		expect(Date.now() - again).toBeLessThan(150);
	});
});

describe('resetAfterPost', () => {
	it('creates the call, then destroys the connection without an answer', async () => {
		const victim = newUser(emulator);
		emulator.controls.faults({ resetAfterPost: 1 });
		const before = emulator.controls.stats().callsCreated;
		await expect(postCall(emulator, victim, callBody())).rejects.toThrow();
		expect(emulator.controls.stats().callsCreated).toBe(before + 1);
		expect(emulator.controls.calls().filter((call) => call.userId === victim.userId)).toHaveLength(1);
		expect((await postCall(emulator, victim, callBody())).status).toBe(200);
	});

	it('is not consumed by a rejected POST', async () => {
		emulator.controls.faults({ resetAfterPost: 1 });
		expect((await postCall(emulator, user, callBody({ dialed_number: '' }))).status).toBe(400);
		await expect(postCall(emulator, user, callBody())).rejects.toThrow();
	});
});

describe('dropStreams', () => {
	it('sends : connected and one heartbeat, then closes the connection before the result', async () => {
		const dialed_number = phoneEnding('0123');
		emulator.controls.scriptNumber(dialed_number, { durationSeconds: 1000 });
		const callId = await placeCall(emulator, user, { dialed_number });
		emulator.controls.faults({ dropStreams: 1 });
		const dropped = await captureStream(streamUrl(emulator, callId), voiceHeaders(user));
		expect(dropped.text).toBe(': connected\n\n: heartbeat\n\n');
		expect(dropped.complete).toBe(false);
		const next = await captureStream(streamUrl(emulator, callId), voiceHeaders(user));
		expect(next.text).toContain('event: result');
	});
});

describe('silentStreams', () => {
	it('sends headers only and closes the connection 1 s after the call ended', async () => {
		const callId = await placeCall(emulator, user);
		const call = emulator.controls.calls().find((c) => c.callId === callId);
		emulator.controls.faults({ silentStreams: 1 });
		const silent = await captureStream(streamUrl(emulator, callId), voiceHeaders(user));
		expect(silent.status).toBe(200);
		expect(silent.text).toBe('');
		expect(silent.complete).toBe(false);
		expect(silent.closedAt).toBeGreaterThanOrEqual((call?.endsAt ?? Infinity) + 990);
	});
});
