/**
 * The main job: `npm run demo`. Starts the Pine emulator, runs examples/batch-calls.json through
 * n8n's own engine (n8n-core's WorkflowExecute, with n8n-nodes-base's file nodes) over
 * examples/calls.csv, shows progress while the calls run, writes the results CSV and prints a table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pine-voice-demo-'));
const filesDir = path.join(workDir, 'n8n-files');
fs.mkdirSync(filesDir, { recursive: true });
// Set before n8n-core loads: its instance settings and file-access rules read these.
process.env.N8N_USER_FOLDER ??= workDir;
process.env.PINE_VOICE_REGISTRY_DIR ??= path.join(workDir, 'registry');
process.env.N8N_RESTRICT_FILE_ACCESS_TO = filesDir;
process.env.N8N_LOG_LEVEL ??= 'silent';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded after the environment above is set */
const { start } = require('../../test/emulator/server') as typeof import('../../test/emulator/server');
const { DEMO_USER } = require('../../test/emulator/types') as typeof import('../../test/emulator/types');
const { runBatchExample } = require('../../test/harness/batch-example') as typeof import('../../test/harness/batch-example');
const { printTable } = require('./table') as typeof import('./table');
/* eslint-enable @typescript-eslint/no-require-imports */

/** Real milliseconds one simulated call minute lasts: a 3-minute call takes 0.6 s. */
const MS_PER_MINUTE = 200;
const RESULTS_FILE = path.join(root, 'demo-output', 'call-results.csv');

async function main() {
	const emulator = await start({ port: 0, msPerMinute: MS_PER_MINUTE });
	let shown = '';
	const progress = setInterval(() => {
		const { callsCreated, completions } = emulator.controls.stats();
		const line = `  calls placed: ${callsCreated}, in progress: ${emulator.controls.inProgress(DEMO_USER.userId)}, ended: ${Object.keys(completions).length}`;
		if (line !== shown) console.log((shown = line));
	}, 50);
	try {
		console.log(`Pine emulator on ${emulator.url} (one call minute lasts ${MS_PER_MINUTE} ms). Running examples/batch-calls.json:`);
		const startedAt = Date.now();
		const result = await runBatchExample({
			filesDir,
			credentials: { accessToken: DEMO_USER.token, userId: DEMO_USER.userId, gatewayUrl: emulator.url },
		});
		clearInterval(progress);
		if (result.error) throw new Error(`The workflow failed: ${result.error}`);

		fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
		fs.writeFileSync(RESULTS_FILE, result.resultsCsv);
		printTable(result.rows);
		const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
		console.log(`\n${result.rows.length} calls in ${seconds} s. Results CSV: ${path.relative(process.cwd(), RESULTS_FILE)}`);
	} finally {
		clearInterval(progress);
		await emulator.stop();
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
