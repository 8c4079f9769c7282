/*
 * 4. Trigger scale: one poll of the Pine Voice Trigger over 1,000 pending calls placed by the
 * Pine Voice node (Place Call): time, requests, memory. The trigger runs in a child process.
 */
import fs from 'node:fs';
import path from 'node:path';

import { forkTs, type ChildMessage } from '../lib/child';
import { mib, ms } from '../lib/format';
import type { MemoryPeak } from '../lib/memory';
import { benchNumber, runPineWorkflow, withEmulator } from '../lib/pine';
import type { Section } from '../lib/report';
import { median } from '../lib/stats';
import { benchTempDir } from '../lib/setup-env';

export interface TriggerConfig {
	calls: number;
	runs: number;
	/** First emulator number block; each run takes one. */
	block: number;
}

type PollResult = ChildMessage & MemoryPeak & { pollMs: number; items: number };

interface TriggerRun extends PollResult {
	requests: number;
	gets: number;
	placeMs: number;
}

export async function measureTriggerScale(config: TriggerConfig): Promise<Section> {
	const runs: TriggerRun[] = [];
	const savedDir = process.env.PINE_VOICE_REGISTRY_DIR;
	try {
		// Calls last 3 ms (180 simulated s at 1 ms per minute): all have ended before the poll.
		await withEmulator({ msPerMinute: 1, maxConcurrentCalls: config.calls * 2 }, async (emulator) => {
			for (let run = 0; run < config.runs; run++) {
				const registryDir = path.join(benchTempDir, `trigger-registry-${run}`);
				fs.mkdirSync(registryDir, { recursive: true });
				process.env.PINE_VOICE_REGISTRY_DIR = registryDir;

				const child = forkTs(path.join(__dirname, '../children/trigger-poll.ts'), {
					args: [emulator.url],
					env: { PINE_VOICE_REGISTRY_DIR: registryDir },
					timeoutMs: 90_000,
				});
				await child.next('ready');

				const phones = Array.from({ length: config.calls }, (_, index) => benchNumber(config.block + run, index));
				const placing = Date.now();
				const items = await runPineWorkflow(emulator, phones, { operation: 'placeCall', workflowId: `wf-bench-place-${run}` });
				const placeMs = Date.now() - placing;
				const callIds = new Set(items.map((item) => String(item.json.call_id)));
				await waitUntil(() => [...callIds].every((id) => emulator.controls.stats().completions[id] !== undefined), 10_000);

				emulator.controls.resetStats();
				child.send({ type: 'poll' });
				const result = await child.next<PollResult>('result');
				await child.exited;
				const { requests } = emulator.controls.stats();
				if (result.items !== config.calls) throw new Error(`The trigger emitted ${result.items} of ${config.calls} calls`);
				runs.push({ ...result, requests: requests.length, gets: requests.filter((r) => r.method === 'GET').length, placeMs });
			}
		});
	} finally {
		if (savedDir === undefined) delete process.env.PINE_VOICE_REGISTRY_DIR;
		else process.env.PINE_VOICE_REGISTRY_DIR = savedDir;
	}

	const med = (pick: (run: TriggerRun) => number) => median(runs.map(pick));
	const pollMs = med((run) => run.pollMs);
	return {
		title: `4. Trigger scale: one poll over ${config.calls.toLocaleString('en-US')} pending calls`,
		method: [
			`Per run: a fresh registry directory; a child process (ts-node, --expose-gc) activates a Pine Voice Trigger (watch: calls placed by Pine Voice, scope: all workflows) through n8n-core's PollContext (test/harness/poll-trigger.ts); the parent then places ${config.calls} calls with a Place Call workflow (concurrency 5, registered for the trigger), waits until the emulator has ended them all, and asks the child for one poll.`,
			'Time: wall time of that poll (registry read under its file lock, one GET per call with at most 5 in flight, delivery marks written). Requests: the emulator\'s request log during the poll.',
			'Memory: RSS sampled every 5 ms during the poll, from a GC\'d start; max RSS is process.resourceUsage().maxRSS, the peak of the child\'s lifetime (n8n-core, the package and ts-node loaded).',
			`Median of ${runs.length} runs.`,
		],
		headers: ['Figure', 'Median', 'Runs'],
		rows: [
			['Poll time', ms(pollMs), runs.map((run) => ms(run.pollMs)).join(', ')],
			['Poll time per call', ms(pollMs / config.calls, 2), ''],
			['Requests during the poll (GETs)', `${med((run) => run.requests)} (${med((run) => run.gets)})`, runs.map((run) => String(run.requests)).join(', ')],
			['Calls emitted', `${med((run) => run.items)}`, ''],
			['RSS before the poll', mib(med((run) => run.startRss)), ''],
			['Peak RSS during the poll', mib(med((run) => run.peakRss)), runs.map((run) => mib(run.peakRss)).join(', ')],
			['RSS growth during the poll', mib(med((run) => run.peakRss - run.startRss)), ''],
			['Heap used: before / peak during the poll', `${mib(med((run) => run.startHeapUsed))} / ${mib(med((run) => run.peakHeapUsed))}`, ''],
			['Heap growth during the poll', mib(med((run) => run.peakHeapUsed - run.startHeapUsed)), runs.map((run) => mib(run.peakHeapUsed - run.startHeapUsed)).join(', ')],
			['Child max RSS (whole lifetime)', mib(med((run) => run.maxRss)), ''],
			[`Setup, not measured: placing ${config.calls} calls with Place Call`, ms(med((run) => run.placeMs)), ''],
		],
		notes: [
			'RSS rarely shrinks after a GC, so memory the child already held from loading can absorb the poll: the heap growth is the poll\'s own cost.',
			`Requests grow linearly with pending calls: one GET per watched call per poll, at most 5 in flight. Here a GET takes about ${ms((pollMs * 5) / config.calls, 1)} of a slot on loopback; against a gateway ${100} ms away the same poll would take about ${((config.calls / 5) * 0.1).toFixed(0)} s.`,
		],
		summary: [
			{ measure: `4. Trigger poll over ${config.calls} pending calls: time`, figure: ms(pollMs), target: '' },
			{
				measure: '4. Trigger poll: requests; peak RSS (growth); heap growth',
				figure: `${med((run) => run.requests)}; ${mib(med((run) => run.peakRss))} (+${mib(med((run) => run.peakRss - run.startRss))}); +${mib(med((run) => run.peakHeapUsed - run.startHeapUsed))}`,
				target: '',
			},
		],
	};
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('Timed out waiting for the calls to end');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
