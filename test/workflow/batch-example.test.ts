import path from 'node:path';

import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import type { BatchExampleRun } from '../harness/batch-example';
import { parseResultLine, runTsChild } from './fixtures/result-line';

const ACCOUNT = { email: 'example@example.com', userId: 'user-example', token: 'SENTINEL-TOKEN-example-41f0', credits: 1_000_000, subscription: true };

let emulator: RunningEmulator;
beforeAll(async () => {
	emulator = await start({ port: 0, msPerMinute: 10 });
	emulator.controls.addUser(ACCOUNT);
});
afterAll(async () => {
	await emulator.stop();
});

describe('examples/batch-calls.json in n8n-core with n8n-nodes-base', () => {
	it('reads calls.csv, calls every row and writes a results CSV with one row per call', async () => {
		const child = await runTsChild(path.join(__dirname, 'fixtures', 'batch-example.ts'), {
			EMULATOR_URL: emulator.url,
			PINE_TOKEN: ACCOUNT.token,
			PINE_USER_ID: ACCOUNT.userId,
		});
		const result = parseResultLine<BatchExampleRun>(child.stdout);

		expect(result.error).toBeUndefined();
		expect(result.rows.map((row) => [row.phone, row.status, row.raw_status])).toEqual([
			['+14155550100', 'completed', 'Completed'],
			['+14155550101', 'completed', 'HungupByPeer'],
			['+14155550102', 'failed', 'NoAnswer'],
			['+14155550107', 'completed', 'Timeout'],
			['+442079460106', 'failed', 'Declined'],
			['+61298760100', 'completed', 'Completed'],
		]);
		expect(result.resultsCsv).toMatch(/^\uFEFF?name,phone,status,raw_status,duration_seconds,credits_charged,summary,transcript,call_id,error\n/);
		for (const row of result.rows) expect(result.resultsCsv).toContain(`,${String(row.call_id)},`);
		expect(child.stdout + child.stderr).not.toContain(ACCOUNT.token);
		expect(emulator.controls.stats().maxConcurrency[ACCOUNT.userId]).toBeLessThanOrEqual(5);
	}, 60_000);
});
