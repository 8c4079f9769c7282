/*
 * 5. Memory: Place & Wait over 200 items with 50 KB transcripts, against the same run with the
 * emulator's short default transcripts. The workflow runs in a child process.
 */
import path from 'node:path';

import type { RunningEmulator } from '../../test/emulator/types';
import { forkTs, type ChildMessage } from '../lib/child';
import { kib, mib, ms, ratio } from '../lib/format';
import type { MemoryPeak } from '../lib/memory';
import { benchNumber, withEmulator } from '../lib/pine';
import type { Section } from '../lib/report';
import { median } from '../lib/stats';

export interface MemoryConfig {
	items: number;
	transcriptBytes: number;
	runs: number;
	msPerMinute: number;
	/** Emulator number blocks: this one for large transcripts, the next for tiny ones, the third for warm-up runs. */
	block: number;
}

type RunResult = ChildMessage & MemoryPeak & { runMs: number; items: number; outputBytes: number };
type Variant = 'large' | 'tiny';

/** Items of the unmeasured warm-up run each child makes first (tiny transcripts). */
const WARMUP_ITEMS = 10;

export async function measureMemory(config: MemoryConfig): Promise<Section> {
	const runs: Record<Variant, RunResult[]> = { large: [], tiny: [] };
	await withEmulator({ msPerMinute: config.msPerMinute }, async (emulator) => {
		const blockOf = (variant: Variant) => config.block + (variant === 'large' ? 0 : 1);
		for (let index = 0; index < WARMUP_ITEMS; index++) {
			emulator.controls.scriptNumber(benchNumber(config.block + 2, index), { durationSeconds: 60 });
		}
		for (let index = 0; index < config.items; index++) {
			// One simulated minute each; only the transcript size differs between the variants.
			emulator.controls.scriptNumber(benchNumber(blockOf('large'), index), { durationSeconds: 60, transcriptBytes: config.transcriptBytes });
			emulator.controls.scriptNumber(benchNumber(blockOf('tiny'), index), { durationSeconds: 60 });
		}
		for (let run = 0; run < config.runs; run++) {
			for (const variant of ['large', 'tiny'] as const) {
				runs[variant].push(await runChild(emulator, blockOf(variant), config.items, config.block + 2));
			}
		}
	});

	const med = (variant: Variant, pick: (run: RunResult) => number) => median(runs[variant].map(pick));
	const growth = (run: RunResult) => run.peakRss - run.startRss;
	const heapGrowth = (run: RunResult) => run.peakHeapUsed - run.startHeapUsed;
	const row = (label: string, pick: (run: RunResult) => number, format: (value: number) => string) => [
		label,
		format(med('large', pick)),
		format(med('tiny', pick)),
		ratio(med('large', pick) / med('tiny', pick)),
	];
	const extraRss = med('large', (run) => run.peakRss) - med('tiny', (run) => run.peakRss);
	const extraHeap = med('large', heapGrowth) - med('tiny', heapGrowth);
	const outputExtra = med('large', (run) => run.outputBytes) - med('tiny', (run) => run.outputBytes);
	return {
		title: `5. Memory: Place & Wait over ${config.items} items`,
		method: [
			`A child process (ts-node, --expose-gc) runs Rows -> Pine Voice (Place & Wait, concurrency 5) through n8n-core over ${config.items} scripted numbers; the parent serves them from the emulator (msPerMinute ${config.msPerMinute}, calls of 1 simulated minute).`,
			`Large: transcriptBytes ${config.transcriptBytes} per call (the emulator repeats its dialogue to about that size). Tiny: the emulator's default 4-turn transcript.`,
			`Each child first makes an unmeasured warm-up run of ${WARMUP_ITEMS} items (code loaded on first execution), then a GC, then the measured run. Peak RSS: sampled every 5 ms during the run; growth is measured from the GC'd RSS at the start of the run. Child max RSS is process.resourceUsage().maxRSS (whole lifetime, module loading included).`,
			`Variants alternate; median of ${config.runs} runs each.`,
		],
		headers: ['Figure', `${kib(config.transcriptBytes)} transcripts`, 'Tiny transcripts', 'Ratio'],
		rows: [
			row('Output size (JSON of the node\'s items)', (run) => run.outputBytes, mib),
			row('RSS at the start of the run', (run) => run.startRss, mib),
			row('Peak RSS during the run', (run) => run.peakRss, mib),
			row('RSS growth during the run', growth, mib),
			row('Heap used at the start of the run', (run) => run.startHeapUsed, mib),
			row('Peak heap used during the run', (run) => run.peakHeapUsed, mib),
			row('Heap growth during the run', heapGrowth, mib),
			row('Child max RSS (whole lifetime)', (run) => run.maxRss, mib),
			row('Run time', (run) => run.runMs, (value) => ms(value)),
		],
		notes: [
			`The large transcripts add ${mib(outputExtra)} of output (${kib(outputExtra / config.items)} per item: the transcript turns plus transcript_text), ${mib(extraHeap)} of peak heap (${(extraHeap / outputExtra).toFixed(2)} bytes per byte of output) and ${mib(extraRss)} of peak RSS.`,
			'RSS hardly shrinks after a GC, so what the process reserved while loading and warming up can absorb a run: heap growth is the steadier figure. Peak heap includes garbage not yet collected.',
		],
		summary: [
			{
				measure: `5. Memory, Place & Wait over ${config.items} items, ${kib(config.transcriptBytes)} vs tiny transcripts: peak RSS; heap growth`,
				figure: `${mib(med('large', (run) => run.peakRss))} vs ${mib(med('tiny', (run) => run.peakRss))}; ${mib(med('large', heapGrowth))} vs ${mib(med('tiny', heapGrowth))}`,
				target: '',
			},
		],
	};
}

async function runChild(emulator: RunningEmulator, block: number, count: number, warmupBlock: number): Promise<RunResult> {
	const child = forkTs(path.join(__dirname, '../children/place-and-wait.ts'), {
		args: [emulator.url, String(block), String(count), String(warmupBlock), String(WARMUP_ITEMS)],
		timeoutMs: 90_000,
	});
	const result = await child.next<RunResult>('result');
	await child.exited;
	if (result.items !== count) throw new Error(`The memory run returned ${result.items} of ${count} items`);
	return result;
}
