import { CredentialTestContext } from 'n8n-core';

import { testPineVoiceCredential } from '../../nodes/adapters/credential-test';
import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import { credentialTypes, nodeTypes } from '../harness/package-types';
import { runWorkflow, type WorkflowJson } from '../harness/run-workflow';

const SENTINEL_TOKEN = 'SENTINEL-TOKEN-cred-51be9a';
const ACCOUNT = { email: 'ops@example.com', userId: 'user-ops', token: SENTINEL_TOKEN, credits: 500, subscription: true };

let emulator: RunningEmulator;
beforeAll(async () => {
	emulator = await start({ port: 0 });
	emulator.controls.addUser(ACCOUNT);
	emulator.controls.addUser({ email: 'free@example.com', userId: 'user-free', token: `${SENTINEL_TOKEN}-free`, credits: 500, subscription: false });
	emulator.controls.addUser({ email: 'old@example.com', userId: 'user-old', token: `${SENTINEL_TOKEN}-old`, credits: 500, subscription: true });
	emulator.controls.expireToken(`${SENTINEL_TOKEN}-old`);
});
afterAll(async () => {
	await emulator.stop();
});

describe('credential test', () => {
	const test = async (accessToken: string, userId: string) =>
		await testPineVoiceCredential.call(new CredentialTestContext(), {
			id: 'cred-1',
			name: 'Pine Voice account',
			type: 'pineVoiceApi',
			data: { accessToken, userId, gatewayUrl: emulator.url },
		});

	it('accepts a valid token (the probe call is answered 404 NOT_FOUND)', async () => {
		expect(await test(SENTINEL_TOKEN, ACCOUNT.userId)).toEqual({ status: 'OK', message: 'Connection successful' });
	});

	it('refuses an invalid token', async () => {
		const result = await test('not-a-token', ACCOUNT.userId);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/does not accept this access token/);
	});

	it('tells an expired token apart and says to run Pine Voice Auth again', async () => {
		const result = await test(`${SENTINEL_TOKEN}-old`, 'user-old');
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/expired.*run the Pine Voice Auth node again/);
		expect(result.message).not.toContain(SENTINEL_TOKEN);
	});

	it('tells an account without a subscription apart', async () => {
		const result = await test(`${SENTINEL_TOKEN}-free`, 'user-free');
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/no active subscription/);
	});
});

const authWorkflow = (parameters: Record<string, unknown>): WorkflowJson => ({
	nodes: [
		{ id: '1', name: 'Start', type: 'test.testItems', typeVersion: 1, position: [0, 0], parameters: { items: '[{}]' } },
		{
			id: '2',
			name: 'Pine Voice Auth',
			type: 'n8n-nodes-pine-voice.pineVoiceAuth',
			typeVersion: 1,
			position: [200, 0],
			parameters: { ...parameters, options: { authUrl: emulator.url } },
		},
	],
	connections: { Start: { main: [[{ node: 'Pine Voice Auth', type: 'main', index: 0 }]] } },
});

describe('Pine Voice Auth node', () => {
	it('requests a code, then verifies it and returns user_id and access_token', async () => {
		const requested = await runWorkflow(authWorkflow({ operation: 'requestCode', email: ACCOUNT.email }), { nodeTypes, credentialTypes });
		expect(requested.run.data.resultData.error).toBeUndefined();
		const { request_token } = requested.output('Pine Voice Auth')[0].json;
		expect(request_token).toEqual(expect.any(String));

		const verified = await runWorkflow(
			authWorkflow({ operation: 'verifyCode', email: ACCOUNT.email, requestToken: request_token, code: emulator.controls.lastCode(ACCOUNT.email) }),
			{ nodeTypes, credentialTypes },
		);
		expect(verified.run.data.resultData.error).toBeUndefined();
		const result = verified.output('Pine Voice Auth')[0].json;
		expect(result).toMatchObject({ email: ACCOUNT.email, user_id: ACCOUNT.userId, access_token: expect.any(String) });

		const probe = await fetch(`${emulator.url}/api/v2/voice/call/anything`, {
			headers: { Authorization: `Bearer ${String(result.access_token)}`, 'X-Pine-User-Id': String(result.user_id) },
		});
		expect(probe.status).toBe(404);
	});

	it('says clearly when the email has no Pine account', async () => {
		const { run } = await runWorkflow(authWorkflow({ operation: 'requestCode', email: 'nobody@example.com' }), { nodeTypes, credentialTypes });
		expect(run.data.resultData.error?.message).toMatch(/Item 1: .*(no Pine account|not found)/i);
	});

	it('says clearly when the code is wrong', async () => {
		const requested = await runWorkflow(authWorkflow({ operation: 'requestCode', email: ACCOUNT.email }), { nodeTypes, credentialTypes });
		const { request_token } = requested.output('Pine Voice Auth')[0].json;
		const { run } = await runWorkflow(
			authWorkflow({ operation: 'verifyCode', email: ACCOUNT.email, requestToken: request_token, code: '000000x' }),
			{ nodeTypes, credentialTypes },
		);
		expect(run.data.resultData.error?.message).toMatch(/code/i);
		expect((run.data.resultData.error as { description?: string }).description).toMatch(/Request Code/i);
	});

	it('says clearly when the code has expired', async () => {
		const requested = await runWorkflow(authWorkflow({ operation: 'requestCode', email: ACCOUNT.email }), { nodeTypes, credentialTypes });
		const { request_token } = requested.output('Pine Voice Auth')[0].json;
		const code = emulator.controls.lastCode(ACCOUNT.email);
		emulator.controls.expireCodes();
		const { run } = await runWorkflow(
			authWorkflow({ operation: 'verifyCode', email: ACCOUNT.email, requestToken: request_token, code }),
			{ nodeTypes, credentialTypes },
		);
		expect(run.data.resultData.error?.message).toMatch(/expired/i);
	});
});
