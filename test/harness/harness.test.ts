import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import { DEMO_USER } from '../emulator/types';
import { credentialTypes, nodeTypes } from './package-types';
import { runWorkflow, type WorkflowJson } from './run-workflow';

const probeWorkflow = (path: string): WorkflowJson => ({
	nodes: [
		{ id: '1', name: 'Rows', type: 'test.testItems', typeVersion: 1, position: [0, 0], parameters: { items: '[{"id":"probe-1"}]' } },
		{
			id: '2',
			name: 'Probe',
			type: 'test.credentialProbe',
			typeVersion: 1,
			position: [200, 0],
			parameters: { path },
			credentials: { pineVoiceApi: { id: 'cred-1', name: 'Pine' } },
		},
	],
	connections: { Rows: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
});

describe('workflow harness', () => {
	let emulator: RunningEmulator;
	beforeAll(async () => {
		emulator = await start({ port: 0 });
	});
	afterAll(async () => {
		await emulator.stop();
	});

	const credentialsFor = (accessToken: string) => ({
		pineVoiceApi: { accessToken, userId: DEMO_USER.userId, gatewayUrl: emulator.url },
	});

	it('sends the credential headers through n8n-core so the gateway recognises the user', async () => {
		const { run, output } = await runWorkflow(probeWorkflow('/api/v2/voice/call/no-such-call'), {
			nodeTypes,
			credentialTypes,
			credentials: credentialsFor(DEMO_USER.token),
		});

		expect(run.data.resultData.error).toBeUndefined();
		expect(output('Probe')[0].json).toMatchObject({ statusCode: 404, body: { error: { code: 'NOT_FOUND' } } });
		const seen = emulator.controls.stats().requests.at(-1);
		expect(seen).toMatchObject({ method: 'GET', authorized: true, userId: DEMO_USER.userId });
	});

	it('lets the gateway refuse a wrong token, which proves the header carries the credential', async () => {
		const { run, output } = await runWorkflow(probeWorkflow('/api/v2/voice/call/no-such-call'), {
			nodeTypes,
			credentialTypes,
			credentials: credentialsFor('not-a-valid-token'),
		});

		expect(run.data.resultData.error).toBeUndefined();
		expect(output('Probe')[0].json).toMatchObject({ statusCode: 401, body: { error: { code: 'AUTH_REQUIRED' } } });
	});
});
