/**
 * Soak: `npm run soak` places 500 calls through Place & Wait batches (n8n-core's engine, this
 * package's node, Continue On Fail, a dedupe key per row) against the Pine emulator, with seeded
 * random faults before every batch. Then it runs every batch again (a re-run after a crash, say).
 *
 * It checks and prints: every input item has exactly one output item, paired to it; no number
 * was called twice (the emulator's own list of created calls); results name the right call;
 * memory is flat (heap and RSS after a forced GC per batch, the series and its slope).
 *
 *   SOAK_SEED=n      replay a run (the seed is printed)
 *   SOAK_CALLS=n     calls to place (default 500)      SOAK_BATCH=n   rows per batch (default 25)
 *
 * Run with --expose-gc (npm run soak does); the emulator runs in a child process so that the
 * memory figures are the engine's and the package's alone.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { HostRequest, HostSummary } from '../test/soak/emulator-host';

const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 2 ** 31);
const CALLS = Number(process.env.SOAK_CALLS ?? 500);
const BATCH = Number(process.env.SOAK_BATCH ?? 25);
const MS_PER_MINUTE = 10;
const ACCOUNT = { email: 'soak@example.com', userId: 'user-soak', token: 'SENTINEL-TOKEN-soak-3b9e0d7c', credits: 1_000_000_000, subscription: true };
/** A heap that grows by less than this per batch (after GC, past warm-up) counts as flat. */
const FLAT_SLOPE_BYTES = 256 * 1024;

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pine-soak-'));
process.env.N8N_USER_FOLDER = workDir;
process.env.PINE_VOICE_REGISTRY_DIR = path.join(workDir, 'registry');
process.env.N8N_LOG_LEVEL ??= 'silent';

// ---- seeded randomness ----
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const random = mulberry32(SEED);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const chance = (p: number) => random() < p;
function weighted<T>(choices: Array<[T, number]>): T {
	let roll = random() * choices.reduce((sum, [, weight]) => sum + weight, 0);
	for (const [value, weight] of choices) if ((roll -= weight) < 0) return value;
	return choices[0][0];
}

const RAW_STATUSES: Array<[string, number]> = [
	['Completed', 70], ['HungupByPeer', 8], ['NoAnswer', 6], ['Declined', 4], ['Cancelled', 4], ['Failed', 3], ['TooLongSilence', 3], ['InternalError', 2],
];
const NORMALIZED: Record<string, string> = {
	Completed: 'completed', HungupByPeer: 'completed', TooLongSilence: 'completed', NoAnswer: 'failed', Declined: 'failed', Failed: 'failed', InternalError: 'failed', Cancelled: 'cancelled',
};

// ---- the emulator in a child process ----
class Host {
	private next = 1;
	private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
	constructor(private readonly child: ChildProcess) {
		child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
			const pending = this.waiting.get(message.id);
			if (!pending) return;
			this.waiting.delete(message.id);
			if (message.error) pending.reject(new Error(message.error));
			else pending.resolve(message.result);
		});
	}
	static async start(): Promise<{ host: Host; url: string }> {
		const child = fork(path.join(__dirname, '../test/soak/emulator-host.ts'), [], {
			execArgv: ['-r', 'ts-node/register/transpile-only'],
			env: {
				...process.env,
				TS_NODE_PREFER_TS_EXTS: 'true',
				SOAK_EMULATOR_OPTIONS: JSON.stringify({ port: 0, msPerMinute: MS_PER_MINUTE, heartbeatMs: 20, retryAfterSeconds: 0.05, maxConcurrentCalls: 5 }),
				SOAK_EMULATOR_USER: JSON.stringify(ACCOUNT),
			},
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		const host = new Host(child);
		const ready = await new Promise<{ url: string }>((resolve, reject) => {
			host.waiting.set(0, { resolve: (value) => resolve(value as { url: string }), reject });
			child.once('exit', (code) => reject(new Error(`emulator host exited with ${code}`)));
		});
		return { host, url: ready.url };
	}
	ask<T>(request: HostRequest extends infer R ? (R extends HostRequest ? Omit<R, 'id'> : never) : never): Promise<T> {
		const id = this.next++;
		return new Promise<T>((resolve, reject) => {
			this.waiting.set(id, { resolve: (value) => resolve(value as T), reject });
			this.child.send({ ...request, id });
		});
	}
}

// ---- helpers ----
type Row = { phone: string; name: string; context: string; objective: string; row_id: string };
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function slope(values: number[]): number {
	const n = values.length;
	if (n < 2) return 0;
	const meanX = (n - 1) / 2;
	const meanY = values.reduce((a, b) => a + b, 0) / n;
	let num = 0;
	let den = 0;
	values.forEach((y, x) => {
		num += (x - meanX) * (y - meanY);
		den += (x - meanX) ** 2;
	});
	return num / den;
}

function describePlan(plan: Record<string, unknown>): string {
	const parts = Object.entries(plan).map(([name, value]) => (typeof value === 'object' ? `${name}(${Object.entries(value as object).map(([k, v]) => `${k}=${v}`).join(',')})` : `${name}=${value}`));
	return parts.join(' ') || 'none';
}

async function main(): Promise<void> {
	// Loaded after the environment is set: n8n reads it when its modules start.
	const { credentialTypes, nodeTypes } = await import('../test/harness/package-types');
	const { runWorkflow } = await import('../test/harness/run-workflow');
	const { callFieldsFromColumns, pineWorkflow, PINE_NODE } = await import('../test/workflow/pine-workflow');

	const startedAt = Date.now();
	const { host, url } = await Host.start();
	console.log(`soak: seed ${SEED} (SOAK_SEED=${SEED} replays it), ${CALLS} calls in batches of ${BATCH}, emulator ${url} (child process), work dir ${workDir}`);
	const credentials = { pineVoiceApi: { accessToken: ACCOUNT.token, userId: ACCOUNT.userId, gatewayUrl: url } };

	// Rows: one distinct number each, with a scripted ending and duration.
	const rows: Row[] = [];
	const scripted = new Map<string, string>();
	for (let i = 0; i < CALLS; i++) {
		const phone = `+1415600${String(i).padStart(4, '0')}`;
		const rawStatus = weighted(RAW_STATUSES);
		scripted.set(phone, rawStatus);
		await host.ask({ op: 'scriptNumber', phone, script: { rawStatus, durationSeconds: int(20, 900) } });
		rows.push({ phone, name: `Soak office ${i}`, context: `Soak test row ${i}: a dentist office open Mon-Fri 9am-5pm`, objective: 'Confirm the cleaning appointment for next Tuesday afternoon', row_id: `soak-row-${i}` });
	}
	const batches: Row[][] = [];
	for (let start = 0; start < rows.length; start += BATCH) batches.push(rows.slice(start, start + BATCH));

	const parameters = {
		operation: 'placeAndWait',
		...callFieldsFromColumns,
		options: { dedupeKey: '={{ $json.row_id }}', waitTimeoutMinutes: 0.5, pollIntervalSeconds: 1, concurrency: 5 },
	};
	const faultCounts: Record<string, number> = {};
	const outcomes: Record<string, number> = {};
	const problems: string[] = [];
	const heap: number[] = [];
	const rss: number[] = [];
	let otherClientCalls = 0;
	let inputItems = 0;
	let outputItems = 0;

	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) console.log('soak: run with --expose-gc for exact memory figures (npm run soak does)');
	const sample = () => {
		gc?.();
		gc?.();
		const usage = process.memoryUsage();
		heap.push(usage.heapUsed);
		rss.push(usage.rss);
	};

	async function runBatch(batch: Row[], label: string, rerun: boolean): Promise<void> {
		const run = await runWorkflow(pineWorkflow(batch, parameters, { continueOnFail: true }), { nodeTypes, credentialTypes, credentials });
		const items = run.output(PINE_NODE);
		inputItems += batch.length;
		outputItems += items.length;
		if (run.run.data.resultData.error) problems.push(`${label}: the run failed: ${run.run.data.resultData.error.message}`);
		if (items.length !== batch.length) problems.push(`${label}: ${batch.length} rows gave ${items.length} items`);
		items.forEach((item, index) => {
			const json = item.json;
			const row = batch[index];
			if ((item.pairedItem as { item?: number } | undefined)?.item !== index) problems.push(`${label}: item ${index} is not paired to its row`);
			if (JSON.stringify(json).includes(ACCOUNT.token)) problems.push(`${label}: the token appeared in item ${index}`);
			const key = json.error ? `error ${String(json.code)}` : json.deduplicated ? `deduplicated ${String(json.status)}` : String(json.status);
			const bucket = `${rerun ? 're-run' : 'first run'}: ${key}`;
			outcomes[bucket] = (outcomes[bucket] ?? 0) + 1;
			if (json.error) {
				if (typeof json.code !== 'string' || !String(json.error).startsWith(`Item ${index + 1}: `)) problems.push(`${label}: unclear failure ${JSON.stringify(json)}`);
				return;
			}
			if (json.dialed_number !== row.phone) problems.push(`${label}: item ${index} is for ${String(json.dialed_number)}, not ${row.phone}`);
			const expected = NORMALIZED[scripted.get(row.phone) ?? ''];
			if (json.status !== expected) problems.push(`${label}: ${row.phone} ended ${String(json.status)}, scripted ${expected}`);
		});
	}

	// ---- first run: every batch with random faults ----
	for (const [index, batch] of batches.entries()) {
		const plan: Record<string, unknown> = {};
		if (chance(0.5)) plan.dropStreams = int(1, 3);
		if (chance(0.25)) plan.silentStreams = 1;
		if (chance(0.4)) plan.resetAfterPost = int(1, 2);
		if (chance(0.4)) plan.error500 = { count: int(1, 3), ...(chance(0.7) ? { method: 'GET' } : {}) };
		if (chance(0.3)) plan.nonJson502 = { count: int(1, 2), method: chance(0.7) ? 'GET' : 'POST' };
		if (chance(0.3)) plan.slow = { count: int(1, 5), delayMs: int(20, 150) };
		const others = chance(0.3) ? int(1, 5) : 0;
		// Another client of the same account holds some of the 5 call slots: Pine answers 429 until they end.
		for (let other = 0; other < others; other++) {
			const phone = `+1415777${String(otherClientCalls++).padStart(4, '0')}`;
			await host.ask({ op: 'scriptNumber', phone, script: { durationSeconds: int(600, 3000) } });
			// Before the faults are set, so that they hit the soak's own requests.
			await fetch(`${url}/api/v2/voice/call`, {
				method: 'POST',
				headers: { authorization: `Bearer ${ACCOUNT.token}`, 'x-pine-user-id': ACCOUNT.userId, 'content-type': 'application/json' },
				body: JSON.stringify({ dialed_number: phone, callee_name: 'Other client', callee_context: 'Another app on the same account', call_objective: 'Confirm the appointment for next Tuesday afternoon', caller: 'communicator' }),
			});
		}
		if (others) faultCounts.otherClientCalls = (faultCounts.otherClientCalls ?? 0) + others;
		await host.ask({ op: 'faults', plan });
		for (const [name, value] of Object.entries(plan)) faultCounts[name] = (faultCounts[name] ?? 0) + (typeof value === 'number' ? value : (value as { count: number }).count);
		const batchStarted = Date.now();
		await runBatch(batch, `batch ${index + 1}`, false);
		await host.ask({ op: 'clearFaults' });
		sample();
		console.log(
			`soak: batch ${String(index + 1).padStart(2)}/${batches.length} ${String(Date.now() - batchStarted).padStart(5)} ms  heap ${mb(heap[heap.length - 1])} MB  rss ${mb(rss[rss.length - 1])} MB  faults: ${describePlan(plan)}${others ? ` otherClientCalls=${others}` : ''}`,
		);
	}
	const afterFirst = await host.ask<HostSummary>({ op: 'summary' });

	// ---- re-run: the same rows and dedupe keys, no faults: nothing may be placed twice ----
	for (const [index, batch] of batches.entries()) await runBatch(batch, `re-run batch ${index + 1}`, true);
	sample();
	const summary = await host.ask<HostSummary>({ op: 'summary' });
	await host.ask({ op: 'stop' });

	// ---- figures ----
	const soakNumbers = new Set(rows.map((row) => row.phone));
	const soakCalls = summary.dialed.filter((phone) => soakNumbers.has(phone));
	const counts = new Map<string, number>();
	for (const phone of soakCalls) counts.set(phone, (counts.get(phone) ?? 0) + 1);
	const duplicates = [...counts].filter(([, n]) => n > 1);
	const placedByRerun = summary.dialed.length - afterFirst.dialed.length;
	const lost = inputItems - outputItems;
	// The engine warms up (code caches, pools) over the first batches: judge flatness on the second half.
	const heapSeries = heap.slice(0, batches.length);
	const half = Math.floor(batches.length / 2);
	const heapSlope = slope(heapSeries.slice(half));
	const rssSlope = slope(rss.slice(half, batches.length));
	const heapSlopeAll = slope(heapSeries);

	if (duplicates.length) problems.push(`numbers called twice: ${duplicates.map(([phone, n]) => `${phone}×${n}`).join(', ')}`);
	if (lost !== 0) problems.push(`${lost} input items without an output item`);
	if ((summary.maxConcurrency[ACCOUNT.userId] ?? 0) > 5) problems.push(`more than 5 calls at once: ${summary.maxConcurrency[ACCOUNT.userId]}`);
	if (heapSlope > FLAT_SLOPE_BYTES) problems.push(`heap grows ${(heapSlope / 1024).toFixed(0)} KB per batch`);

	console.log('\nsoak: figures');
	console.log(`  seed                     ${SEED}`);
	console.log(`  calls soaked             ${CALLS} rows through Place & Wait in ${batches.length} batches, then re-run (${inputItems} input items in all)`);
	console.log(`  output items             ${outputItems} (lost items: ${lost})`);
	console.log(`  faults injected          ${Object.entries(faultCounts).map(([name, n]) => `${name} ${n}`).join(', ')}`);
	console.log(`  POSTs received           ${summary.postsReceived} (calls created ${summary.callsCreated}, of which another client's ${otherClientCalls})`);
	console.log(`  soak numbers called      ${counts.size} of ${CALLS}; called twice: ${duplicates.length}; new calls in the re-run: ${placedByRerun}`);
	console.log(`  max calls at once        ${summary.maxConcurrency[ACCOUNT.userId] ?? 0}`);
	console.log(`  outcomes                 ${Object.entries(outcomes).sort().map(([name, n]) => `${name}: ${n}`).join('\n                           ')}`);
	console.log(`  heap after GC (MB)       ${heapSeries.map(mb).join(' ')}`);
	console.log(`  rss (MB)                 ${rss.slice(0, batches.length).map(mb).join(' ')}`);
	console.log(`  heap slope               ${(heapSlope / 1024).toFixed(1)} KB/batch over batches ${half + 1}-${batches.length} (flat: below ${FLAT_SLOPE_BYTES / 1024}); ${(heapSlopeAll / 1024).toFixed(1)} KB/batch over all, warm-up included`);
	console.log(`  rss slope                ${(rssSlope / 1024).toFixed(1)} KB/batch over batches ${half + 1}-${batches.length}`);
	console.log(`  after the re-run         heap ${mb(heap[heap.length - 1])} MB, rss ${mb(rss[rss.length - 1])} MB`);
	console.log(`  open streams at the end  ${summary.openStreams}`);
	console.log(`  elapsed                  ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
	if (problems.length) {
		console.log(`\nsoak: FAILED\n  ${problems.slice(0, 50).join('\n  ')}`);
		process.exitCode = 1;
	} else {
		console.log('\nsoak: OK: every input item has exactly one output item, no number was called twice, memory is flat');
	}
	fs.rmSync(workDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
	console.error('soak: crashed', error);
	process.exit(1);
});
