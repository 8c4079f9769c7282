import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import { credentialTypes, nodeTypes } from '../harness/package-types';
import { triggerPoller } from '../harness/poll-trigger';
import { runWorkflow } from '../harness/run-workflow';
import { callFieldsFromColumns, PINE_NODE, pineWorkflow, row, triggerWorkflow } from '../workflow/pine-workflow';

const ACCOUNT = { email: 'trigger@example.com', userId: 'user-trigger', token: 'SENTINEL-TOKEN-trigger-0c1e', credits: 10_000_000, subscription: true };

let emulator: RunningEmulator;
let registryDir: string;
const credentials = () => ({ pineVoiceApi: { accessToken: ACCOUNT.token, userId: ACCOUNT.userId, gatewayUrl: emulator.url } });

beforeAll(async () => {
	emulator = await start({ port: 0, msPerMinute: 10, maxConcurrentCalls: 2000 });
	emulator.controls.addUser(ACCOUNT);
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => {
	registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pine-trigger-'));
	process.env.PINE_VOICE_REGISTRY_DIR = registryDir;
	emulator.controls.clearFaults();
});
afterEach(() => fs.rmSync(registryDir, { recursive: true, force: true }));

const poller = (workflowId: string, parameters: INodeParameters = { watch: 'placedCalls', scope: 'allWorkflows' }) =>
	triggerPoller(triggerWorkflow(workflowId, parameters), 'Pine Voice Trigger', { nodeTypes, credentialTypes, credentials: credentials() });

async function placeCalls(phones: string[], workflowId = 'wf-place'): Promise<string[]> {
	const json = { ...pineWorkflow(phones.map((phone, i) => row(phone, i)), { operation: 'placeCall', ...callFieldsFromColumns }), id: workflowId };
	const { run, output } = await runWorkflow(json, { nodeTypes, credentialTypes, credentials: credentials() });
	expect(run.data.resultData.error).toBeUndefined();
	return output(PINE_NODE).map((item) => String(item.json.call_id));
}

async function allEnded(callIds: string[]) {
	const deadline = Date.now() + 5000;
	while (!callIds.every((id) => emulator.controls.stats().completions[id] !== undefined)) {
		if (Date.now() > deadline) throw new Error('calls did not end');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

async function pollMany(trigger: ReturnType<typeof poller>, times: number) {
	const emitted: string[] = [];
	for (let i = 0; i < times; i++) emitted.push(...(await trigger.poll()).map((item) => String(item.json.call_id)));
	return emitted;
}

describe('Pine Voice Trigger', () => {
	it('emits each call placed by a workflow exactly once over many polls', async () => {
		const trigger = poller('wf-results');
		await trigger.poll(); // activation: the trigger starts watching from now
		const callIds = await placeCalls(['+14155550100', '+14155550101', '+14155550102']);
		await allEnded(callIds);

		const emitted = await pollMany(trigger, 5);
		expect(emitted.sort()).toEqual([...callIds].sort());
	});

	it('outputs calls in the Get Call shape with normalized statuses', async () => {
		const trigger = poller('wf-shape');
		await trigger.poll();
		const [callId] = await placeCalls(['+14155550101']);
		await allEnded([callId]);

		const [item] = await trigger.poll();
		expect(item.json).toMatchObject({ call_id: callId, status: 'completed', raw_status: 'HungupByPeer', transcript: expect.any(Array), transcript_text: expect.any(String) });
	});

	it('emits calls that ended while n8n was down once, after a restart', async () => {
		await poller('wf-restart').poll();
		const callIds = await placeCalls(['+14155550100', '+14155550107']);
		await allEnded(callIds);

		const afterRestart = poller('wf-restart');
		expect((await pollMany(afterRestart, 3)).sort()).toEqual([...callIds].sort());
		expect(await pollMany(poller('wf-restart'), 2)).toEqual([]);
	});

	it('waits for calls still in progress and emits them when they end', async () => {
		const trigger = poller('wf-progress');
		await trigger.poll();
		emulator.controls.scriptNumber('+14155557777', { durationSeconds: 30 * 60 });
		const [callId] = await placeCalls(['+14155557777']);

		expect(await trigger.poll()).toEqual([]);
		await allEnded([callId]);
		expect((await trigger.poll()).map((item) => item.json.call_id)).toEqual([callId]);
	});

	it('gives every call once to each of two triggers in two workflows', async () => {
		const first = poller('wf-a');
		const second = poller('wf-b');
		await first.poll();
		await second.poll();
		const callIds = await placeCalls(['+14155550100', '+14155550101', '+14155550108']);
		await allEnded(callIds);

		const [a, b] = await Promise.all([pollMany(first, 3), pollMany(second, 3)]);
		expect(a.sort()).toEqual([...callIds].sort());
		expect(b.sort()).toEqual([...callIds].sort());
	});

	it('with scope This Workflow, sees only the calls its own workflow placed', async () => {
		const own = poller('wf-own', { watch: 'placedCalls', scope: 'thisWorkflow' });
		await own.poll();
		const mine = await placeCalls(['+14155550100'], 'wf-own');
		const others = await placeCalls(['+14155550101'], 'wf-other');
		await allEnded([...mine, ...others]);

		expect(await pollMany(own, 2)).toEqual(mine);
	});

	it('emits only the chosen statuses and does not ask about the others again', async () => {
		const trigger = poller('wf-statuses', { watch: 'placedCalls', scope: 'allWorkflows', statuses: ['failed'] });
		await trigger.poll();
		const [completed, failed] = await placeCalls(['+14155550100', '+14155550102']);
		await allEnded([completed, failed]);

		expect((await trigger.poll()).map((item) => [item.json.call_id, item.json.status])).toEqual([[failed, 'failed']]);
		emulator.controls.resetStats();
		expect(await trigger.poll()).toEqual([]);
		expect(emulator.controls.stats().requests.filter((r) => r.method === 'GET')).toHaveLength(0);
	});

	it('in Fetch Test Event returns the latest ended call without consuming it', async () => {
		const trigger = poller('wf-manual');
		await trigger.poll();
		const [callId] = await placeCalls(['+14155550100']);
		await allEnded([callId]);

		expect((await trigger.poll('manual')).map((item) => item.json.call_id)).toEqual([callId]);
		expect((await trigger.poll()).map((item) => item.json.call_id)).toEqual([callId]);
	});

	it('surfaces an expired token as a trigger error instead of staying silent', async () => {
		const trigger = poller('wf-expired');
		await trigger.poll();
		const callIds = await placeCalls(['+14155550100']);
		await allEnded(callIds);
		const expired = { ...ACCOUNT, token: `${ACCOUNT.token}-expired` };
		emulator.controls.addUser({ ...expired, userId: ACCOUNT.userId });
		emulator.controls.expireToken(expired.token);

		const expiredPoller = triggerPoller(triggerWorkflow('wf-expired', { watch: 'placedCalls', scope: 'allWorkflows' }), 'Pine Voice Trigger', {
			nodeTypes,
			credentialTypes,
			credentials: { pineVoiceApi: { accessToken: expired.token, userId: ACCOUNT.userId, gatewayUrl: emulator.url } },
		});
		await expect(expiredPoller.poll()).rejects.toThrow(/expired/i);
		// Nothing was consumed: once the token is fixed, the call is emitted.
		expect((await poller('wf-expired').poll()).map((item) => item.json.call_id)).toEqual(callIds);
	});

	it('surfaces a gateway that is down as a trigger error', async () => {
		const trigger = poller('wf-down');
		await trigger.poll();
		await allEnded(await placeCalls(['+14155550100']));
		emulator.controls.faults({ nonJson502: { count: 100, method: 'GET' } });

		await expect(trigger.poll()).rejects.toThrow(/502/);
	});

	it('watches a list of call ids and emits each once', async () => {
		const callIds = await placeCalls(['+14155550100', '+14155550104']);
		await allEnded(callIds);
		const trigger = poller('wf-ids', { watch: 'callIds', callIds: callIds.join(',\n') });

		expect((await pollMany(trigger, 3)).sort()).toEqual([...callIds].sort());
	});

	it('drops a watched id that Pine does not know, with a log line, and goes on', async () => {
		const [known] = await placeCalls(['+14155550100']);
		await allEnded([known]);
		const trigger = poller('wf-unknown', { watch: 'callIds', callIds: `no-such-call, ${known}` });

		expect((await trigger.poll()).map((item) => item.json.call_id)).toEqual([known]);
		emulator.controls.resetStats();
		expect(await trigger.poll()).toEqual([]);
		expect(emulator.controls.stats().requests).toHaveLength(0);
	});

	it('finishes a poll over 1,000 pending calls', async () => {
		const trigger = poller('wf-scale');
		await trigger.poll();
		const callIds: string[] = [];
		for (let batch = 0; batch < 10; batch++) {
			callIds.push(...(await placeCalls(Array.from({ length: 100 }, (_, i) => `+1415556${2000 + batch * 100 + i}`))));
		}
		await allEnded(callIds);
		emulator.controls.resetStats();

		const startedAt = Date.now();
		const emitted = await trigger.poll();
		const elapsed = Date.now() - startedAt;
		const requests = emulator.controls.stats().requests.length;
		console.log(`Trigger poll over ${callIds.length} pending calls: ${elapsed} ms, ${requests} requests`);
		expect(emitted).toHaveLength(1000);
		expect(requests).toBe(1000);
	});
});
