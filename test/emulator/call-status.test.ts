import { start } from './server';
import { errorOf, FAST, getCall, newUser, phoneEnding, placeCall, sleep, waitUntilEnded } from './test-helpers';
import type { EmulatorUser, RunningEmulator } from './types';

interface CallBody {
	call_id: string;
	status: string;
	duration_seconds: number;
	summary?: string;
	transcript?: Array<{ speaker: string; text: string }>;
	credits_charged?: number;
}

let emulator: RunningEmulator;
let user: EmulatorUser;
beforeAll(async () => {
	emulator = await start(FAST);
	user = newUser(emulator);
});
afterAll(() => emulator.stop());

async function endedCall(overrides: Record<string, unknown> = {}): Promise<CallBody> {
	const callId = await placeCall(emulator, user, overrides);
	await waitUntilEnded(emulator, callId);
	return (await (await getCall(emulator, user, callId)).json()) as CallBody;
}

describe('raw terminal statuses chosen by the last four digits', () => {
	it.each([
		['0101', 'HungupByPeer'],
		['0107', 'Timeout'],
		['0108', 'TooLongSilence'],
		['0110', 'HungupByLocal'],
		['0123', 'Completed'],
	])('a connected call to ...%s ends %s with a transcript and a charge', async (lastFour, status) => {
		const body = await endedCall({ dialed_number: phoneEnding(lastFour) });
		expect(body).toMatchObject({ status, duration_seconds: 180, credits_charged: 50 + 20 * 3 });
		expect(body.transcript).toHaveLength(4);
		expect(body.transcript?.map((turn) => turn.speaker)).toEqual(['agent', 'user', 'agent', 'user']);
		expect(body.transcript?.[0].text).toContain('Dr. Smith Office');
		expect(body.transcript?.[2].text).toContain('schedule a dental cleaning for next Tuesday afternoon');
	});

	it.each([
		['0102', 'NoAnswer'],
		['0103', 'Cancelled'],
		['0104', 'Failed'],
		['0105', 'DialFailed'],
		['0106', 'Declined'],
		['0109', 'InternalError'],
	])('a call to ...%s ends %s with no duration, transcript or charge', async (lastFour, status) => {
		const body = await endedCall({ dialed_number: phoneEnding(lastFour) });
		expect(body).toEqual({ call_id: expect.any(String), status, duration_seconds: 0, transcript: [], credits_charged: 0 });
	});
});

describe('timing and billing', () => {
	it('lets a never-connected call ring for 30 simulated seconds before it ends', async () => {
		const callId = await placeCall(emulator, user, { dialed_number: phoneEnding('0102') });
		const call = emulator.controls.calls().find((c) => c.callId === callId);
		expect(call && call.endsAt - call.createdAt).toBeCloseTo((30 / 60) * FAST.msPerMinute);
		await waitUntilEnded(emulator, callId);
		// Timers and Date.now() may disagree by a millisecond.
		expect(emulator.controls.stats().completions[callId]).toBeGreaterThanOrEqual((call?.endsAt ?? Infinity) - 1);
	});

	it('caps the scripted duration at max_duration_minutes', async () => {
		const dialed_number = phoneEnding('0123');
		emulator.controls.scriptNumber(dialed_number, { durationSeconds: 600 });
		const body = await endedCall({ dialed_number, max_duration_minutes: 2 });
		expect(body).toMatchObject({ duration_seconds: 120, credits_charged: 50 + 20 * 2 });
	});

	it('lets a script override the raw status, even with an unknown value', async () => {
		const dialed_number = phoneEnding('0101');
		emulator.controls.scriptNumber(dialed_number, { rawStatus: 'VoicemailLeft', durationSeconds: 61 });
		expect(await endedCall({ dialed_number })).toMatchObject({ status: 'VoicemailLeft', duration_seconds: 61, credits_charged: 90 });
	});

	it('deducts credits_charged from the balance when the call ends', async () => {
		const payer = newUser(emulator, { credits: 1000 });
		const callId = await placeCall(emulator, payer);
		expect(emulator.controls.credits?.(payer.userId)).toBe(1000);
		await waitUntilEnded(emulator, callId);
		expect(emulator.controls.credits?.(payer.userId)).toBe(1000 - 110);
	});
});

describe('terminal body', () => {
	it('includes a summary only when enable_summary is true', async () => {
		const withSummary = await endedCall({ enable_summary: true });
		const without = await endedCall();
		expect(withSummary.summary).toContain('Dr. Smith Office');
		expect(without).not.toHaveProperty('summary');
	});

	it('is served byte for byte the same every time', async () => {
		const callId = await placeCall(emulator, user, { enable_summary: true });
		await waitUntilEnded(emulator, callId);
		const first = await (await getCall(emulator, user, callId)).text();
		const second = await (await getCall(emulator, user, callId)).text();
		expect(second).toBe(first);
	});

	it('grows the transcript to about script.transcriptBytes', async () => {
		const dialed_number = phoneEnding('0123');
		emulator.controls.scriptNumber(dialed_number, { transcriptBytes: 200_000 });
		const body = await endedCall({ dialed_number });
		const size = Buffer.byteLength(JSON.stringify(body.transcript));
		expect(size).toBeGreaterThanOrEqual(200_000);
		expect(size).toBeLessThan(201_000);
	});
});

describe('lookup', () => {
	it('answers 404 NOT_FOUND for an unknown call id', async () => {
		expect(await errorOf(await getCall(emulator, user, 'no-such-call'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
	});

	it("answers 404 NOT_FOUND for another user's call", async () => {
		const callId = await placeCall(emulator, user);
		const error = await errorOf(await getCall(emulator, newUser(emulator), callId));
		expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND' });
	});

	it('URL-decodes the call id in the path', async () => {
		const callId = await placeCall(emulator, user);
		const encoded = [...callId].map((char) => `%${char.charCodeAt(0).toString(16)}`).join('');
		const response = await fetch(`${emulator.url}/api/v2/voice/call/${encoded}`, {
			headers: { Authorization: `Bearer ${user.token}`, 'X-Pine-User-Id': user.userId },
		});
		expect(((await response.json()) as CallBody).call_id).toBe(callId);
	});
});

describe('progress of a running call (1 simulated second = 50 ms)', () => {
	let slow: RunningEmulator;
	beforeAll(async () => {
		slow = await start({ msPerMinute: 3000 });
	});
	afterAll(() => slow.stop());

	it('reports initiated for 5 simulated seconds, then in_progress with the elapsed seconds, then the raw status', async () => {
		const caller = newUser(slow);
		const dialed_number = phoneEnding('0123');
		slow.controls.scriptNumber(dialed_number, { durationSeconds: 15 });
		const callId = await placeCall(slow, caller, { dialed_number });
		const read = async () => (await (await getCall(slow, caller, callId)).json()) as CallBody;

		expect(await read()).toEqual({ call_id: callId, status: 'initiated', duration_seconds: 0 });
		await sleep(350);
		const running = await read();
		expect(running.status).toBe('in_progress');
		expect(running.duration_seconds).toBeGreaterThanOrEqual(7);
		expect(running.duration_seconds).toBeLessThan(15);
		await waitUntilEnded(slow, callId);
		expect(await read()).toMatchObject({ status: 'Completed', duration_seconds: 15 });
	});
});
