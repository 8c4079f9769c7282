import { start } from './server';
import { callBody, errorOf, FAST, newUser, phoneEnding, postCall, waitUntilEnded } from './test-helpers';
import type { RunningEmulator } from './types';

let emulator: RunningEmulator;
beforeAll(async () => {
	emulator = await start({ ...FAST, retryAfterSeconds: 0.05 });
});
afterAll(() => emulator.stop());

async function rejection(body: unknown) {
	return errorOf(await postCall(emulator, newUser(emulator), body));
}

describe('accepted calls', () => {
	it('answers 200 with a UUID call_id and status in_progress', async () => {
		const response = await postCall(emulator, newUser(emulator), callBody());
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json');
		expect(await response.json()).toEqual({ call_id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'in_progress' });
	});

	it('accepts a negotiator call that has a strategy', async () => {
		const body = callBody({ caller: 'negotiator', detailed_instructions: 'Target $60/mo, walk away above $65.' });
		expect((await postCall(emulator, newUser(emulator), body)).status).toBe(200);
	});

	it.each(['+447911123456', '+61412345678', '+6421123456', '+6581234567', '+35312345678', '+85221234567'])(
		'accepts the supported region number %s',
		async (dialed_number) => {
			expect((await postCall(emulator, newUser(emulator), callBody({ dialed_number }))).status).toBe(200);
		},
	);
});

describe('validation, in the gateway order', () => {
	it('answers 400 INVALID_REQUEST for a body that is not JSON', async () => {
		expect(await rejection('{not json')).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
	});

	it('answers 400 PHONE_REQUIRED when dialed_number is missing', async () => {
		expect(await rejection(callBody({ dialed_number: undefined }))).toMatchObject({ status: 400, code: 'PHONE_REQUIRED' });
	});

	it('answers 400 PHONE_REQUIRED when dialed_number is empty', async () => {
		expect(await rejection(callBody({ dialed_number: '' }))).toMatchObject({ status: 400, code: 'PHONE_REQUIRED' });
	});

	it('answers 400 INVALID_PHONE for a number not in E.164', async () => {
		expect(await rejection(callBody({ dialed_number: '(415) 555-1234' }))).toMatchObject({ status: 400, code: 'INVALID_PHONE' });
	});

	it('answers 400 INVALID_PHONE listing the supported regions for an unsupported country', async () => {
		const error = await rejection(callBody({ dialed_number: '+33123456789' }));
		expect(error).toMatchObject({ status: 400, code: 'INVALID_PHONE' });
		expect(error.message).toContain('Hong Kong (+852)');
	});

	it.each([
		['premium-rate +1900', '+19005550123'],
		['premium-rate +1976', '+19765550123'],
		['emergency 911', '+19115550123'],
		['emergency 000', '+61000123456'],
	])('answers 403 POLICY_VIOLATION for a %s number', async (_kind, dialed_number) => {
		expect(await rejection(callBody({ dialed_number }))).toMatchObject({ status: 403, code: 'POLICY_VIOLATION' });
	});

	it('answers 403 DND_BLOCKED for a number ending in 0199, before checking other fields', async () => {
		const error = await rejection(callBody({ dialed_number: phoneEnding('0199'), callee_name: '' }));
		expect(error).toMatchObject({ status: 403, code: 'DND_BLOCKED' });
	});

	it.each(['callee_name', 'callee_context', 'call_objective'])('answers 400 INVALID_REQUEST naming a missing %s', async (field) => {
		const error = await rejection(callBody({ [field]: '  ' }));
		expect(error).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
		expect(error.message).toContain(field);
	});

	it('answers 400 INSUFFICIENT_DETAIL for an objective under 4 words, before checking caller', async () => {
		const error = await rejection(callBody({ call_objective: 'Book a table', caller: 'boss' }));
		expect(error).toMatchObject({ status: 400, code: 'INSUFFICIENT_DETAIL' });
	});

	it.each([
		['caller', { caller: 'boss' }],
		['voice', { voice: 'robot' }],
		['max_duration_minutes 0', { max_duration_minutes: 0 }],
		['max_duration_minutes 121', { max_duration_minutes: 121 }],
		['max_duration_minutes 2.5', { max_duration_minutes: 2.5 }],
		['max_duration_minutes "10"', { max_duration_minutes: '10' }],
	])('answers 400 INVALID_REQUEST for a bad %s', async (_field, overrides) => {
		expect(await rejection(callBody(overrides))).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
	});

	it('answers 403 POLICY_VIOLATION for a negotiator (the default caller) without detailed_instructions', async () => {
		const error = await rejection(callBody({ caller: undefined, detailed_instructions: '' }));
		expect(error).toMatchObject({ status: 403, code: 'POLICY_VIOLATION' });
		expect(error.message).toBe('a negotiator call needs a strategy in detailed_instructions');
	});
});

describe('credits', () => {
	it('answers 402 INSUFFICIENT_CREDITS below 50 credits, saying how many the account has', async () => {
		const user = newUser(emulator, { credits: 49 });
		const error = await errorOf(await postCall(emulator, user, callBody()));
		expect(error).toMatchObject({ status: 402, code: 'INSUFFICIENT_CREDITS' });
		expect(error.message).toContain('requires at least 50 credits, account has 49');
	});

	it('accepts a call with exactly 50 credits (set through controls.setCredits)', async () => {
		const user = newUser(emulator, { credits: 0 });
		emulator.controls.setCredits(user.userId, 50);
		expect((await postCall(emulator, user, callBody())).status).toBe(200);
	});
});

describe('concurrency limit', () => {
	it('answers the 6th concurrent call 429 RATE_LIMITED with Retry-After, and accepts again once a call ends', async () => {
		const user = newUser(emulator);
		const dialed_number = phoneEnding('0123');
		emulator.controls.scriptNumber(dialed_number, { durationSeconds: 3000 });
		const first = await postCall(emulator, user, callBody({ dialed_number }));
		const { call_id } = (await first.json()) as { call_id: string };
		for (let i = 0; i < 4; i++) await postCall(emulator, user, callBody({ dialed_number }));
		expect(emulator.controls.inProgress(user.userId)).toBe(5);

		const limited = await postCall(emulator, user, callBody());
		expect(limited.headers.get('retry-after')).toBe('0.05');
		expect(await errorOf(limited)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
		expect((await postCall(emulator, newUser(emulator), callBody())).status).toBe(200);

		await waitUntilEnded(emulator, call_id);
		expect((await postCall(emulator, user, callBody())).status).toBe(200);
	});
});
