/** Every error Pine sends reaches the user as the right class, code, HTTP status and hint. */
import { AuthError, CallError, hintFor, RateLimitError, type PineVoiceError } from '../../nodes/shared';
import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import { callRequest, FAST_EMULATOR, LeakWitness, phoneEnding, SENTINEL, sentinelUser } from './helpers';

let emulator: RunningEmulator;
const witness = new LeakWitness();

beforeAll(async () => {
	emulator = await start(FAST_EMULATOR);
});
afterAll(() => emulator.stop());

function expectPineError(
	error: PineVoiceError,
	expected: { type: typeof AuthError | typeof CallError | typeof RateLimitError; code: string; httpStatus: number },
) {
	expect(error).toBeInstanceOf(expected.type);
	expect(error.code).toBe(expected.code);
	expect(error.httpStatus).toBe(expected.httpStatus);
	expect(error.hint).toBe(hintFor(expected.code));
	expect(error.hint).toBeTruthy();
}

/** Places a call that Pine must refuse, and checks that it was sent exactly once. */
async function placeRefused(
	client: ReturnType<LeakWitness['client']>,
	request = callRequest(),
): Promise<PineVoiceError> {
	const postsBefore = emulator.controls.stats().postsReceived;
	const error = await witness.failure(client.createCall(request, { rateLimitWaitMs: 0 }));
	expect(emulator.controls.stats().postsReceived - postsBefore).toBe(1);
	return error;
}

it('a token Pine does not know asks for a valid credential (AUTH_REQUIRED)', async () => {
	const user = sentinelUser(emulator);
	const client = witness.client(emulator, user, { accessToken: `${SENTINEL}-not-issued-by-pine` });
	const error = await placeRefused(client);
	expectPineError(error, { type: AuthError, code: 'AUTH_REQUIRED', httpStatus: 401 });
});

it('an expired token tells the user to run Pine Voice Auth again (TOKEN_EXPIRED)', async () => {
	const user = sentinelUser(emulator);
	emulator.controls.expireToken(user.token);
	const error = await placeRefused(witness.client(emulator, user));
	expectPineError(error, { type: AuthError, code: 'TOKEN_EXPIRED', httpStatus: 401 });
	expect(error.hint).toBe(
		'Run the Pine Voice Auth node again and paste the new access token into the Pine Voice credential.',
	);
});

it('an account without a subscription is told to subscribe (SUBSCRIPTION_REQUIRED)', async () => {
	const user = sentinelUser(emulator, { subscription: false });
	const error = await placeRefused(witness.client(emulator, user));
	expectPineError(error, { type: AuthError, code: 'SUBSCRIPTION_REQUIRED', httpStatus: 403 });
});

it('an account low on credits learns that a call needs at least 50 (INSUFFICIENT_CREDITS)', async () => {
	const user = sentinelUser(emulator, { credits: 49 });
	const error = await placeRefused(witness.client(emulator, user));
	expectPineError(error, { type: CallError, code: 'INSUFFICIENT_CREDITS', httpStatus: 402 });
	expect(error.hint).toContain('at least 50 credits');
	expect(error.hint).toContain('20 per minute');
});

it('a number outside the supported regions lists the regions Pine calls (INVALID_PHONE)', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const error = await placeRefused(client, callRequest({ dialed_number: '+4930123456789' }));
	expectPineError(error, { type: CallError, code: 'INVALID_PHONE', httpStatus: 400 });
	expect(error.hint).toContain('+44');
	expect(error.hint).toContain('Hong Kong (+852)');
});

it('an empty phone number is refused before anyone is called (PHONE_REQUIRED)', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const error = await placeRefused(client, callRequest({ dialed_number: '' }));
	expectPineError(error, { type: CallError, code: 'PHONE_REQUIRED', httpStatus: 400 });
});

it('a vague objective asks for more detail (INSUFFICIENT_DETAIL)', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const error = await placeRefused(client, callRequest({ call_objective: 'Book it' }));
	expectPineError(error, { type: CallError, code: 'INSUFFICIENT_DETAIL', httpStatus: 400 });
});

it('a number on a do-not-call list is refused (DND_BLOCKED)', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const error = await placeRefused(client, callRequest({ dialed_number: phoneEnding('0199') }));
	expectPineError(error, { type: CallError, code: 'DND_BLOCKED', httpStatus: 403 });
	expect(error.hint).toContain('do-not-call');
});

it('a premium-rate number is refused by policy (POLICY_VIOLATION)', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const error = await placeRefused(client, callRequest({ dialed_number: '+19005550123' }));
	expectPineError(error, { type: CallError, code: 'POLICY_VIOLATION', httpStatus: 403 });
});

it('a field Pine cannot accept is reported as an invalid request (INVALID_REQUEST)', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const error = await placeRefused(client, callRequest({ max_duration_minutes: 0 }));
	expectPineError(error, { type: CallError, code: 'INVALID_REQUEST', httpStatus: 400 });
});

it('an unknown call id is not found, and the error names the call (NOT_FOUND)', async () => {
	const client = witness.client(emulator, sentinelUser(emulator));
	const error = await witness.failure(client.getCall('no-such-call'));
	expectPineError(error, { type: CallError, code: 'NOT_FOUND', httpStatus: 404 });
	expect(error.callId).toBe('no-such-call');
	const gets = emulator.controls.stats().requests.filter((request) => request.path.endsWith('/no-such-call'));
	expect(gets).toHaveLength(1);
});

it('a sixth concurrent call is rate limited with the wait Pine asked for (RATE_LIMITED)', async () => {
	const user = sentinelUser(emulator);
	emulator.controls.scriptNumber('+14155550777', { durationSeconds: 3600 });
	const client = witness.client(emulator, user);
	for (let i = 0; i < 5; i++) await client.createCall(callRequest({ dialed_number: '+14155550777' }));
	const error = await placeRefused(client, callRequest());
	expectPineError(error, { type: RateLimitError, code: 'RATE_LIMITED', httpStatus: 429 });
	expect(error.retryAfter).toBe(0.05);
});

it('never reveals an access token in any error, hint or log line above', () => {
	expect(witness.count).toBeGreaterThan(20);
	for (const text of witness.texts()) expect(text).not.toContain(SENTINEL);
});
