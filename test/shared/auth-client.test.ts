/** Pine's email-code sign-in, as the Pine Voice Auth node will use it. */
import { AuthError, hintFor, PineAuthClient, PineVoiceClient } from '../../nodes/shared';
import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import { callRequest, FAST_EMULATOR, LeakWitness, sentinelUser } from './helpers';

let emulator: RunningEmulator;
let auth: PineAuthClient;
const witness = new LeakWitness();
/** Request tokens and access tokens handed out above: none may show up in errors or logs. */
const secrets: string[] = [];

beforeAll(async () => {
	emulator = await start(FAST_EMULATOR);
	auth = new PineAuthClient({ authUrl: `${emulator.url}/`, logger: witness.logger });
});
afterAll(() => emulator.stop());

it('request and verify give a user id and an access token that can place calls', async () => {
	const user = sentinelUser(emulator);

	const { requestToken } = await auth.requestCode(user.email);
	const code = emulator.controls.lastCode(user.email) as string;
	const account = await auth.verifyCode(user.email, requestToken, code);
	secrets.push(requestToken, account.accessToken);

	expect(account).toEqual({ email: user.email, userId: user.userId, accessToken: expect.any(String) });
	const client = new PineVoiceClient({ ...account, gatewayUrl: emulator.url });
	await expect(client.createCall(callRequest())).resolves.toMatchObject({ status: 'in_progress' });
});

it('an email without a Pine account says so (USER_NOT_FOUND)', async () => {
	const error = await witness.failure(auth.requestCode('nobody@example.com'));

	expect(error).toBeInstanceOf(AuthError);
	expect(error).toMatchObject({ code: 'USER_NOT_FOUND', httpStatus: 400, hint: hintFor('USER_NOT_FOUND') });
});

it('a wrong code is refused with advice to check the latest email (INVALID_CODE)', async () => {
	const user = sentinelUser(emulator);
	const { requestToken } = await auth.requestCode(user.email);
	secrets.push(requestToken);
	const wrong = emulator.controls.lastCode(user.email) === '000000' ? '111111' : '000000';

	const error = await witness.failure(auth.verifyCode(user.email, requestToken, wrong));

	expect(error).toBeInstanceOf(AuthError);
	expect(error).toMatchObject({ code: 'INVALID_CODE', httpStatus: 400, hint: hintFor('INVALID_CODE') });
});

it('an expired code asks for a new one (CODE_EXPIRED)', async () => {
	const user = sentinelUser(emulator);
	const { requestToken } = await auth.requestCode(user.email);
	const code = emulator.controls.lastCode(user.email) as string;
	emulator.controls.expireCodes();

	const error = await witness.failure(auth.verifyCode(user.email, requestToken, code));

	expect(error).toBeInstanceOf(AuthError);
	expect(error).toMatchObject({ code: 'CODE_EXPIRED', httpStatus: 400 });
	expect(error.hint).toContain('Request Code again');
});

it('an auth URL that is not plain http(s) is refused before any request', () => {
	expect(() => new PineAuthClient({ authUrl: 'ftp://x' })).toThrow(
		expect.objectContaining({
			code: 'INVALID_URL',
			message: 'The Pine auth URL must start with https:// or http://, not ftp://.',
		}),
	);
});

it('never reveals a request token or access token in any error or log line above', () => {
	expect(secrets).toHaveLength(3);
	for (const text of witness.texts()) for (const secret of secrets) expect(text).not.toContain(secret);
});
