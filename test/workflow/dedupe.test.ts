import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import { credentialTypes, nodeTypes } from '../harness/package-types';
import { runWorkflow } from '../harness/run-workflow';
import { BATCH_ROWS } from './fixtures/dedupe-batch';
import { parseResultLine, runTsChild } from './fixtures/result-line';
import { callFieldsFromColumns, PINE_NODE, pineWorkflow, row } from './pine-workflow';

const ACCOUNT = { email: 'dedupe@example.com', userId: 'user-dedupe', token: 'SENTINEL-TOKEN-dedupe-88aa', credits: 10_000_000, subscription: true };

let emulator: RunningEmulator;
let registryDir: string;
const credentials = () => ({ pineVoiceApi: { accessToken: ACCOUNT.token, userId: ACCOUNT.userId, gatewayUrl: emulator.url } });

beforeAll(async () => {
	emulator = await start({ port: 0, msPerMinute: 10 });
	emulator.controls.addUser(ACCOUNT);
});
afterAll(async () => {
	await emulator.stop();
});
beforeEach(() => {
	registryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pine-dedupe-'));
	process.env.PINE_VOICE_REGISTRY_DIR = registryDir;
	emulator.controls.resetStats();
	emulator.controls.clearFaults();
});
afterEach(() => fs.rmSync(registryDir, { recursive: true, force: true }));

const placeCallWorkflow = (rows: object[], options: Record<string, unknown> = {}) =>
	pineWorkflow(rows, { operation: 'placeCall', ...callFieldsFromColumns, options: { dedupeKey: '={{ $json.row_id }}', ...options } }, { continueOnFail: true });

async function run(workflow: ReturnType<typeof pineWorkflow>) {
	const result = await runWorkflow(workflow, { nodeTypes, credentialTypes, credentials: credentials() });
	expect(result.run.data.resultData.error).toBeUndefined();
	return result.output(PINE_NODE).map((item) => item.json);
}

const created = () => emulator.controls.stats().callsCreated;

describe('dedupe key', () => {
	it('executing the same Place Call workflow twice places each row once', async () => {
		const rows = [0, 1, 2].map((i) => ({ ...row(`+1415555${7000 + i}`, i), row_id: `sheet-row-${i}` }));

		const first = await run(placeCallWorkflow(rows));
		const second = await run(placeCallWorkflow(rows));

		expect(created()).toBe(3);
		expect(second.map((item) => item.call_id)).toEqual(first.map((item) => item.call_id));
		expect(second.every((item) => item.deduplicated === true)).toBe(true);
		expect(first.some((item) => 'deduplicated' in item)).toBe(false);
	});

	it('places one call for two rows with the same key in one batch', async () => {
		const rows = [0, 1].map((i) => ({ ...row('+14155557100', i), row_id: 'same-row' }));

		const items = await run(placeCallWorkflow(rows));

		expect(created()).toBe(1);
		expect(items[1]).toMatchObject({ call_id: items[0].call_id, deduplicated: true });
	});

	it('leaves the key unconfirmed after a reset that followed the POST, and refuses to place it again', async () => {
		const rows = [{ ...row('+14155557200'), row_id: 'lost-answer' }];
		emulator.controls.faults({ resetAfterPost: 1 });
		const [first] = await run(placeCallWorkflow(rows));
		expect(first.code).toBe('CALL_STATE_UNKNOWN');

		const [second] = await run(placeCallWorkflow(rows));

		expect(created()).toBe(1);
		expect(second).toMatchObject({ code: 'DEDUPE_UNCONFIRMED' });
		expect(second.error).toMatch(/dedupe key "lost-answer".*never confirmed: the call may have been placed/);
		expect(second.hint).toMatch(/Release Unconfirmed Key/);
	});

	it('places the call once the user releases the unconfirmed key', async () => {
		const rows = [{ ...row('+14155557300'), row_id: 'released' }];
		emulator.controls.faults({ resetAfterPost: 1 });
		await run(placeCallWorkflow(rows));

		const [released] = await run(placeCallWorkflow(rows, { releaseUnconfirmedKey: true }));
		const [again] = await run(placeCallWorkflow(rows, { releaseUnconfirmedKey: true }));

		expect(released).toMatchObject({ status: 'in_progress', call_id: expect.any(String) });
		expect(again).toMatchObject({ call_id: released.call_id, deduplicated: true });
		expect(created()).toBe(2);
	});

	it('frees the key when Pine refused the call, so a fixed row can be placed', async () => {
		const rows = [{ ...row('+14155550199'), row_id: 'dnd-row' }];
		const [refused] = await run(placeCallWorkflow(rows));
		expect(refused.code).toBe('DND_BLOCKED');

		const [fixed] = await run(placeCallWorkflow([{ ...rows[0], phone: '+14155557400' }]));
		expect(fixed).toMatchObject({ status: 'in_progress' });
		expect(fixed.deduplicated).toBeUndefined();
	});

	it('without a dedupe key places the same row again, as before', async () => {
		const rows = [row('+14155557500')];
		const workflow = pineWorkflow(rows, { operation: 'placeCall', ...callFieldsFromColumns });
		await run(workflow);
		await run(workflow);
		expect(created()).toBe(2);
	});

	it('Place & Wait returns the earlier call result for a deduplicated row', async () => {
		const rows = [{ ...row('+14155550101'), row_id: 'waited' }];
		const workflow = pineWorkflow(rows, { operation: 'placeAndWait', ...callFieldsFromColumns, options: { dedupeKey: '={{ $json.row_id }}' } });
		const [first] = await run(workflow);
		const [second] = await run(workflow);

		expect(created()).toBe(1);
		expect(second).toMatchObject({ call_id: first.call_id, status: 'completed', raw_status: 'HungupByPeer', deduplicated: true });
	});
});

describe('a batch killed mid-way and run again', () => {
	const fixture = path.join(__dirname, 'fixtures', 'dedupe-batch.ts');
	const runBatchProcess = (onStart?: (kill: () => void) => void) =>
		runTsChild(
			fixture,
			{ EMULATOR_URL: emulator.url, PINE_TOKEN: ACCOUNT.token, PINE_USER_ID: ACCOUNT.userId, PINE_VOICE_REGISTRY_DIR: registryDir },
			onStart,
		);

	it('places every row exactly once and resumes the rows already placed', async () => {
		// Calls last 1.2 s here (120 minutes), so the first run holds 5 calls in progress when it is killed.
		for (const r of BATCH_ROWS) emulator.controls.scriptNumber(r.phone, { durationSeconds: 120 * 60 });
		let watch: NodeJS.Timeout | undefined;
		await runBatchProcess((kill) => {
			watch = setInterval(() => {
				if (created() >= 5) {
					clearInterval(watch);
					setTimeout(kill, 300);
				}
			}, 5);
		});
		clearInterval(watch);
		expect(created()).toBe(5);

		const second = await runBatchProcess();
		expect(second.code).toBe(0);
		const { items, error } = parseResultLine<{ items: Array<Record<string, unknown>>; error?: string }>(second.stdout);

		expect(error).toBeUndefined();
		expect(created()).toBe(12);
		const batchPhones = new Set(BATCH_ROWS.map((r) => r.phone));
		const dialed = emulator.controls.calls().map((call) => String(call.request.dialed_number)).filter((phone) => batchPhones.has(phone));
		expect(dialed).toHaveLength(12);
		expect(new Set(dialed).size).toBe(12);
		expect(items).toHaveLength(12);
		expect(items.map((item) => item.dialed_number)).toEqual(BATCH_ROWS.map((r) => r.phone));
		expect(items.every((item) => item.status === 'completed')).toBe(true);
		expect(items.filter((item) => item.deduplicated === true)).toHaveLength(5);
	}, 60_000);
});
