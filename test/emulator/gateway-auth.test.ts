import { start } from './server';
import { errorOf, newUser, voiceHeaders } from './test-helpers';
import type { RunningEmulator } from './types';

let emulator: RunningEmulator;
beforeAll(async () => {
	emulator = await start();
});
afterAll(() => emulator.stop());

/** A call id no one has: a request that passes auth answers 404 NOT_FOUND. */
function probe(headers: Record<string, string>, path = '/api/v2/voice/call/no-such-call'): Promise<Response> {
	return fetch(`${emulator.url}${path}`, { headers });
}

it('answers 401 AUTH_REQUIRED without a bearer token', async () => {
	const user = newUser(emulator);
	const error = await errorOf(await probe({ 'X-Pine-User-Id': user.userId }));
	expect(error).toMatchObject({ status: 401, code: 'AUTH_REQUIRED', contentType: 'application/json' });
});

it('answers 401 AUTH_REQUIRED for a non-Bearer Authorization header', async () => {
	const user = newUser(emulator);
	const error = await errorOf(await probe({ Authorization: `Basic ${user.token}`, 'X-Pine-User-Id': user.userId }));
	expect(error).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
});

it('answers 401 AUTH_REQUIRED without X-Pine-User-Id', async () => {
	const user = newUser(emulator);
	const error = await errorOf(await probe({ Authorization: `Bearer ${user.token}` }));
	expect(error).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
});

it('answers 401 AUTH_REQUIRED for an unknown token', async () => {
	const user = newUser(emulator);
	const error = await errorOf(await probe(voiceHeaders({ ...user, token: 'not-a-token' })));
	expect(error).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
});

it("answers 401 AUTH_REQUIRED for another user's token", async () => {
	const owner = newUser(emulator);
	const other = newUser(emulator);
	const error = await errorOf(await probe(voiceHeaders({ ...other, token: owner.token })));
	expect(error).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
});

it('answers 401 TOKEN_EXPIRED for an expired token', async () => {
	const user = newUser(emulator);
	emulator.controls.expireToken(user.token);
	const error = await errorOf(await probe(voiceHeaders(user)));
	expect(error).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
});

it('checks the token owner before expiry: an expired token of another user is AUTH_REQUIRED', async () => {
	const owner = newUser(emulator);
	const other = newUser(emulator);
	emulator.controls.expireToken(owner.token);
	const error = await errorOf(await probe(voiceHeaders({ ...other, token: owner.token })));
	expect(error).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
});

it('answers 403 SUBSCRIPTION_REQUIRED for a user without a subscription', async () => {
	const user = newUser(emulator, { subscription: false });
	const error = await errorOf(await probe(voiceHeaders(user)));
	expect(error).toMatchObject({ status: 403, code: 'SUBSCRIPTION_REQUIRED' });
});

it('answers 404 NOT_FOUND to a valid token probing an unknown call (the credential test)', async () => {
	const user = newUser(emulator);
	const error = await errorOf(await probe(voiceHeaders(user)));
	expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', contentType: 'application/json' });
});

it('authenticates unknown voice paths before answering 404 NOT_FOUND', async () => {
	const user = newUser(emulator);
	expect((await probe({}, '/api/v2/voice/nothing')).status).toBe(401);
	expect(await errorOf(await probe(voiceHeaders(user), '/api/v2/voice/nothing'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
});

it('answers 404 NOT_FOUND to paths outside the API', async () => {
	expect(await errorOf(await probe({}, '/elsewhere'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
});
