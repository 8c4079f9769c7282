/** What the client accepts as configuration, checked before any request leaves. */
import { AuthError, normalizeBaseUrl, PineVoiceClient, PineVoiceError } from '../../nodes/shared';
import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import { callRequest, FAST_EMULATOR, sentinelUser } from './helpers';

let emulator: RunningEmulator;

beforeAll(async () => {
	emulator = await start(FAST_EMULATOR);
});
afterAll(() => emulator.stop());

function setupError(build: () => unknown): PineVoiceError {
	try {
		build();
	} catch (error) {
		if (error instanceof PineVoiceError) return error;
		throw error;
	}
	throw new Error('expected a PineVoiceError');
}

it('an ftp:// gateway URL is refused with INVALID_URL', () => {
	const error = setupError(
		() => new PineVoiceClient({ accessToken: 'token-123456', userId: 'u1', gatewayUrl: 'ftp://x' }),
	);

	expect(error.code).toBe('INVALID_URL');
	expect(error.message).toBe('The Pine gateway URL must start with https:// or http://, not ftp://.');
	expect(error.hint).toContain('https://');
});

it('a gateway URL with a user name and password is refused without repeating the password', () => {
	const error = setupError(() => normalizeBaseUrl('http://user:s3cret-pass@host', 'Pine gateway URL'));

	expect(error.code).toBe('INVALID_URL');
	expect(error.message).toContain('must not contain a user name or password');
	expect(JSON.stringify(error)).not.toContain('s3cret-pass');
});

it('text that is not a URL at all is refused with INVALID_URL', () => {
	expect(setupError(() => normalizeBaseUrl('agent3 gateway', 'Pine gateway URL')).code).toBe('INVALID_URL');
});

it('trailing slashes of the gateway URL are ignored', async () => {
	const user = sentinelUser(emulator);
	const client = new PineVoiceClient({ accessToken: user.token, userId: user.userId, gatewayUrl: `${emulator.url}//` });

	await expect(client.createCall(callRequest())).resolves.toMatchObject({ status: 'in_progress' });
	const post = emulator.controls.stats().requests.find((r) => r.method === 'POST');
	expect(post?.path).toBe('/api/v2/voice/call');
});

it('a credential without an access token is refused before any request (AUTH_REQUIRED)', () => {
	const error = setupError(() => new PineVoiceClient({ accessToken: '  ', userId: 'u1', gatewayUrl: emulator.url }));

	expect(error).toBeInstanceOf(AuthError);
	expect(error.code).toBe('AUTH_REQUIRED');
	expect(emulator.controls.stats().requests).toHaveLength(1); // only the call placed above
});

it('spaces pasted around the access token are ignored', async () => {
	const user = sentinelUser(emulator);
	const client = new PineVoiceClient({ accessToken: ` ${user.token}\n`, userId: user.userId, gatewayUrl: emulator.url });

	await expect(client.createCall(callRequest())).resolves.toMatchObject({ status: 'in_progress' });
});
