import { start } from './server';
import { errorOf, newUser } from './test-helpers';
import { DEMO_USER, type RunningEmulator } from './types';

let emulator: RunningEmulator;
beforeAll(async () => {
	emulator = await start();
});
afterAll(() => emulator.stop());

function post(path: string, body: unknown): Promise<Response> {
	return fetch(`${emulator.url}/api/v2/auth/email/${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

async function requestToken(email: string): Promise<string> {
	const response = await post('request', { email });
	expect(response.status).toBe(200);
	return ((await response.json()) as { data: { request_token: string } }).data.request_token;
}

function probeGateway(token: string, userId: string): Promise<Response> {
	return fetch(`${emulator.url}/api/v2/voice/call/no-such-call`, {
		headers: { Authorization: `Bearer ${token}`, 'X-Pine-User-Id': userId },
	});
}

describe('request a code', () => {
	it('answers 400 USER_NOT_FOUND for an email without an account', async () => {
		const error = await errorOf(await post('request', { email: 'nobody@example.com' }));
		expect(error).toMatchObject({ status: 400, code: 'USER_NOT_FOUND', contentType: 'application/json' });
	});

	it('answers 400 INVALID_REQUEST when the email is missing', async () => {
		expect(await errorOf(await post('request', {}))).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
	});

	it('answers 400 INVALID_REQUEST when the body is not JSON', async () => {
		expect(await errorOf(await post('request', 'email=x'))).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
	});

	it('answers a wrapped request_token and puts a 6-digit code in the inbox', async () => {
		const response = await post('request', { email: DEMO_USER.email });
		const body = (await response.json()) as { status: string; data: { request_token: string } };
		expect(body.status).toBe('success');
		expect(body.data.request_token).toEqual(expect.any(String));
		expect(emulator.controls.lastCode(DEMO_USER.email)).toMatch(/^\d{6}$/);
	});
});

describe('verify a code', () => {
	it('mints a new working token and keeps the old token valid', async () => {
		const user = newUser(emulator);
		const token = await requestToken(user.email);
		const response = await post('verify', { email: user.email, request_token: token, code: emulator.controls.lastCode(user.email) });
		expect(response.status).toBe(200);
		const body = (await response.json()) as { status: string; data: { id: string; access_token: string; email: string } };
		expect(body).toEqual({ status: 'success', data: { id: user.userId, access_token: expect.any(String), email: user.email } });
		expect(body.data.access_token).not.toBe(user.token);
		expect(await errorOf(await probeGateway(body.data.access_token, user.userId))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
		expect(await errorOf(await probeGateway(user.token, user.userId))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
	});

	it('answers 400 INVALID_CODE for a wrong code', async () => {
		const user = newUser(emulator);
		const token = await requestToken(user.email);
		const wrong = emulator.controls.lastCode(user.email) === '000000' ? '111111' : '000000';
		const error = await errorOf(await post('verify', { email: user.email, request_token: token, code: wrong }));
		expect(error).toMatchObject({ status: 400, code: 'INVALID_CODE' });
	});

	it('answers 400 INVALID_CODE for a wrong request_token', async () => {
		const user = newUser(emulator);
		await requestToken(user.email);
		const code = emulator.controls.lastCode(user.email);
		const error = await errorOf(await post('verify', { email: user.email, request_token: 'forged', code }));
		expect(error).toMatchObject({ status: 400, code: 'INVALID_CODE' });
	});

	it('accepts a code only once', async () => {
		const user = newUser(emulator);
		const verify = { email: user.email, request_token: await requestToken(user.email), code: emulator.controls.lastCode(user.email) };
		expect((await post('verify', verify)).status).toBe(200);
		expect(await errorOf(await post('verify', verify))).toMatchObject({ status: 400, code: 'INVALID_CODE' });
	});

	it('answers 400 CODE_EXPIRED after controls.expireCodes()', async () => {
		const user = newUser(emulator);
		const verify = { email: user.email, request_token: await requestToken(user.email), code: emulator.controls.lastCode(user.email) };
		emulator.controls.expireCodes();
		expect(await errorOf(await post('verify', verify))).toMatchObject({ status: 400, code: 'CODE_EXPIRED' });
	});

	it('answers 400 CODE_EXPIRED for a code older than 10 minutes', async () => {
		const user = newUser(emulator);
		const verify = { email: user.email, request_token: await requestToken(user.email), code: emulator.controls.lastCode(user.email) };
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 10 * 60 * 1000 + 1);
		try {
			expect(await errorOf(await post('verify', verify))).toMatchObject({ status: 400, code: 'CODE_EXPIRED' });
		} finally {
			clock.mockRestore();
		}
	});

	it('answers 400 INVALID_REQUEST when a field is missing', async () => {
		const error = await errorOf(await post('verify', { email: DEMO_USER.email, code: '123456' }));
		expect(error).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
		expect(error.message).toContain('request_token');
	});
});
