/*
 * 1. Batch makespan: 20 Place & Wait calls of known, varied durations, through the n8n-core
 * engine, against the ideal 5-slot schedule, one call at a time, and polling-only waiting.
 */
import { performance } from 'node:perf_hooks';

import { PineVoiceClient } from '../../nodes/shared/voice-client';
import type { RunningEmulator } from '../../test/emulator/types';
import { benchRequest, pollingChunks, pollingWindow } from '../baselines/polling';
import { ms, ratio } from '../lib/format';
import { benchNumber, clientOptions, rateLimitedPosts, requestsPerCall, runPineWorkflow, withEmulator } from '../lib/pine';
import type { Section } from '../lib/report';
import { listScheduleMakespan, lptMakespan, makespanLowerBound } from '../lib/schedule';
import { median, sum } from '../lib/stats';

/** Simulated call lengths in seconds (2 to 10 minutes), in input order. */
export const DURATIONS_SECONDS = [270, 540, 150, 420, 330, 600, 210, 480, 360, 120, 450, 240, 390, 180, 570, 300, 135, 510, 255, 405];
const SLOTS = 5;
/** Unmeasured runs first: the engine's and the package's first execution loads and compiles code lazily. */
const WARMUP_RUNS = 2;
/** Pine's own clients poll every 10 s. */
const PINE_POLL_SECONDS = 10;

export interface MakespanConfig {
	msPerMinute: number;
	/** Runs of the cheap variants (ours, polling window, batches of 5). */
	runs: number;
	/** Runs of the slower variants (one at a time, batches of 5). */
	sequentialRuns: number;
	/** First emulator number block; each run takes one. */
	block: number;
}

export interface MakespanRun {
	makespanMs: number;
	requestsPerCall: number[];
	rateLimited: number;
	maxConcurrency: number;
	overhead: Overhead;
}

/** Where a run loses time against the ideal schedule, from the emulator's clock (Date.now()). */
export interface Overhead {
	/** Run start to the first call created. */
	startMs: number;
	/** Per refill: a call's creation minus the completion that freed its slot. */
	refillMs: number[];
	/** Last completion to the run's end (result read, output built, engine finished). */
	endMs: number;
}

/** A call's count of requests and its scripted length, so polling counts can be read per call minute. */
export interface CallRequests {
	requests: number;
	durationSeconds: number;
}

export interface MakespanResult {
	section: Section;
	/** Requests per call of the node (stream path) and of the polling-only baseline, every call of every run. */
	requests: { nodeStream: CallRequests[]; pinePolling: CallRequests[] };
}

type Variant = 'node' | 'nodeSequential' | 'pollingWindow' | 'pollingChunks';

export async function measureMakespan(config: MakespanConfig): Promise<MakespanResult> {
	const { msPerMinute } = config;
	const realMs = (seconds: number) => (seconds / 60) * msPerMinute;
	const pollIntervalMs = realMs(PINE_POLL_SECONDS);
	const durationsMs = DURATIONS_SECONDS.map(realMs);
	const ideal = {
		list: listScheduleMakespan(durationsMs, SLOTS),
		lpt: lptMakespan(durationsMs, SLOTS),
		bound: makespanLowerBound(durationsMs, SLOTS),
		sum: sum(durationsMs),
	};

	const runs: Record<Variant, MakespanRun[]> = { node: [], nodeSequential: [], pollingWindow: [], pollingChunks: [] };
	let block = config.block;
	const warmups: number[] = [];
	await withEmulator({ msPerMinute }, async (emulator) => {
		for (let run = 0; run < WARMUP_RUNS; run++) {
			const phones = Array.from({ length: SLOTS }, (_, index) => benchNumber(block, index));
			block++;
			for (const phone of phones) emulator.controls.scriptNumber(phone, { durationSeconds: 60 });
			const started = performance.now();
			await runPineWorkflow(emulator, phones, { operation: 'placeAndWait', options: { concurrency: SLOTS } });
			warmups.push(performance.now() - started);
		}
		const client = new PineVoiceClient(clientOptions(emulator));
		const once = async (variant: Variant) => {
			const phones = DURATIONS_SECONDS.map((durationSeconds, index) => {
				const phone = benchNumber(block, index);
				emulator.controls.scriptNumber(phone, { durationSeconds });
				return phone;
			});
			block++;
			runs[variant].push(await runVariant(variant, emulator, client, phones, pollIntervalMs));
		};
		// Interleaved, so that drift in the machine's load touches every variant alike.
		for (let round = 0; round < config.runs; round++) {
			await once('node');
			await once('pollingWindow');
			if (round < config.sequentialRuns) await once('pollingChunks');
			if (round < config.sequentialRuns) await once('nodeSequential');
		}
	});

	const [coldMs, warmMs] = [warmups[0], warmups[warmups.length - 1]];
	const med = (variant: Variant) => median(runs[variant].map((run) => run.makespanMs));
	const node = med('node');
	const rows: string[][] = [
		['Pine Voice node, Place & Wait, concurrency 5 (n8n-core engine)', ms(node), ratio(node / ideal.list), ratio(node / ideal.bound), `${runs.node.length}`],
		['(a) ideal: list scheduling in input order, 5 slots, zero overhead', ms(ideal.list), ratio(1), ratio(ideal.list / ideal.bound), 'computed'],
		['(a\') ideal with reordering: LPT (longest first), 5 slots', ms(ideal.lpt), ratio(ideal.lpt / ideal.list), ratio(ideal.lpt / ideal.bound), 'computed'],
		['(a\'\') lower bound max(longest, sum/5)', ms(ideal.bound), ratio(ideal.bound / ideal.list), ratio(1), 'computed'],
		['(b) one call at a time: the node with concurrency 1', ms(med('nodeSequential')), ratio(med('nodeSequential') / ideal.list), ratio(med('nodeSequential') / ideal.bound), `${runs.nodeSequential.length}`],
		['(b\') sum of the durations (one at a time, zero overhead)', ms(ideal.sum), ratio(ideal.sum / ideal.list), ratio(ideal.sum / ideal.bound), 'computed'],
		[`(c) polling-only waiting every ${PINE_POLL_SECONDS} s (scaled: ${pollIntervalMs.toFixed(1)} ms), same 5-slot window`, ms(med('pollingWindow')), ratio(med('pollingWindow') / ideal.list), ratio(med('pollingWindow') / ideal.bound), `${runs.pollingWindow.length}`],
		[`(d) hand-wired n8n loop: batches of 5, Wait ${PINE_POLL_SECONDS} s + IF until the batch is done`, ms(med('pollingChunks')), ratio(med('pollingChunks') / ideal.list), ratio(med('pollingChunks') / ideal.bound), `${runs.pollingChunks.length}`],
	];
	const vsNode = (variant: Variant) => ratio(med(variant) / node);
	const rateLimited = Object.values(runs).flat().reduce((total, run) => total + run.rateLimited, 0);
	const maxConcurrency = Math.max(...runs.node.map((run) => run.maxConcurrency));
	const target = node / ideal.list;

	const section: Section = {
		title: '1. Batch makespan: 20 Place & Wait calls',
		method: [
			`20 calls scripted per number in the emulator: ${DURATIONS_SECONDS.map((s) => s / 60).map((m) => Number(m.toFixed(2))).join(', ')} simulated minutes (sum ${(sum(DURATIONS_SECONDS) / 60).toFixed(2)} min), in this input order.`,
			`Time scale msPerMinute = ${msPerMinute}: a simulated minute lasts ${msPerMinute} ms, calls last ${realMs(120)}-${realMs(600)} ms, Pine's 10 s poll interval becomes ${pollIntervalMs.toFixed(1)} ms.`,
			'Ours: Rows -> Pine Voice (Place & Wait, concurrency 5) run through n8n-core\'s WorkflowExecute (test/harness), wall time of the whole run.',
			'(a) is computed from the durations. The node starts items in input order as slots free up and cannot know durations in advance, so list scheduling in input order is the ideal it can reach; the target is measured against it. LPT and the lower bound are shown for reference (the ratio column "vs bound").',
			'(b) runs the same workflow with concurrency 1 for real (a loop of single calls); (b\') is the plain sum.',
			'(c) and (d) are in bench/baselines/polling.ts: POST, then GET every scaled 10 s until terminal, with the same HTTP client as the node. (c) uses the node\'s 5-slot sliding window, so only the waiting differs; (d) is how a hand-wired HTTP Request / Wait / IF loop schedules (Loop Over Items, batch of 5, next batch when all are done).',
			`Variants interleaved round by round; median of the runs shown in the last column. POSTs refused with 429 in all runs: ${rateLimited}. Highest concurrency the emulator saw for the node: ${maxConcurrency}.`,
		],
		headers: ['Variant', 'Makespan (median)', 'vs (a) ideal', 'vs bound', 'Runs'],
		rows,
		notes: [
			`Relative to our node: one at a time takes ${vsNode('nodeSequential')} as long, polling-only in the same window ${vsNode('pollingWindow')}, the hand-wired batch loop ${vsNode('pollingChunks')}.`,
			`Node makespans per run: ${runs.node.map((run) => ms(run.makespanMs)).join(', ')} (after ${WARMUP_RUNS} unmeasured warm-up runs of 5 short calls; the first run of a fresh process took ${ms(coldMs)} for those 5 calls against ${ms(warmMs)} warm).`,
			`Where the node's time goes (median over its runs, emulator clock, 1 ms resolution): run start to first call placed ${ms(median(runs.node.map((run) => run.overhead.startMs)))}; a freed slot refilled (completion to next call created) after ${ms(median(runs.node.flatMap((run) => run.overhead.refillMs)))} median, ${ms(Math.max(...runs.node.flatMap((run) => run.overhead.refillMs)))} max; last completion to run end ${ms(median(runs.node.map((run) => run.overhead.endMs)))}.`,
		],
		summary: [
			{
				measure: '1. Makespan, node vs ideal 5-slot schedule (a)',
				figure: ratio(target),
				target: '<= 1.10x',
				met: target <= 1.1,
				why:
					`the node took ${ms(node - ideal.list)} more than the ideal ${ms(ideal.list)}: ` +
					`${ms(median(runs.node.map((run) => run.overhead.startMs)))} before the first call, ` +
					`${ms(sum(runs.node.map((run) => sum(run.overhead.refillMs))) / runs.node.length)} summed over the ${DURATIONS_SECONDS.length - SLOTS} slot refills (median run), ` +
					`${ms(median(runs.node.map((run) => run.overhead.endMs)))} after the last completion; the rest is calls starting later than their slot in the chain. ` +
					`Load average during the bench is in the header: this 2-core machine may be shared.`,
			},
			{ measure: '1. Makespan, one at a time (b) vs node', figure: vsNode('nodeSequential'), target: '' },
			{ measure: '1. Makespan, polling-only 10 s (c) vs node', figure: vsNode('pollingWindow'), target: '' },
			{ measure: '1. Makespan, hand-wired batch loop (d) vs node', figure: vsNode('pollingChunks'), target: '' },
		],
	};
	return {
		section,
		requests: {
			nodeStream: runs.node.flatMap(withDurations),
			pinePolling: runs.pollingWindow.flatMap(withDurations),
		},
	};
}

function withDurations(run: MakespanRun): CallRequests[] {
	return run.requestsPerCall.map((requests, index) => ({ requests, durationSeconds: DURATIONS_SECONDS[index] }));
}

async function runVariant(
	variant: Variant,
	emulator: RunningEmulator,
	client: PineVoiceClient,
	phones: string[],
	pollIntervalMs: number,
): Promise<MakespanRun> {
	emulator.controls.resetStats();
	const startedAt = Date.now();
	const started = performance.now();
	let callIds: string[];
	if (variant === 'node' || variant === 'nodeSequential') {
		const concurrency = variant === 'node' ? SLOTS : 1;
		const items = await runPineWorkflow(emulator, phones, { operation: 'placeAndWait', options: { concurrency } });
		callIds = items.map((item) => String(item.json.call_id));
	} else {
		const requests = phones.map((phone, index) => benchRequest(phone, index));
		const run = variant === 'pollingWindow' ? pollingWindow : pollingChunks;
		callIds = (await run(client, requests, SLOTS, pollIntervalMs)).map((call) => call.callId);
	}
	const makespanMs = performance.now() - started;
	const endedAt = Date.now();
	const stats = emulator.controls.stats();
	return {
		makespanMs,
		overhead: overheadOf(emulator, callIds, startedAt, endedAt),
		requestsPerCall: requestsPerCall(emulator, callIds),
		rateLimited: rateLimitedPosts(emulator),
		maxConcurrency: Math.max(0, ...Object.values(stats.maxConcurrency)),
	};
}

function overheadOf(emulator: RunningEmulator, callIds: string[], startedAt: number, endedAt: number): Overhead {
	const ids = new Set(callIds);
	const { completions } = emulator.controls.stats();
	const created = emulator.controls
		.calls()
		.filter((call) => ids.has(call.callId))
		.map((call) => call.createdAt)
		.sort((a, b) => a - b);
	const ended = callIds.map((id) => completions[id]).sort((a, b) => a - b);
	// With a full window, the k-th call created (k >= SLOTS) takes the slot freed by the (k - SLOTS)-th completion.
	const refillMs = created.slice(SLOTS).map((at, k) => at - ended[k]);
	return { startMs: created[0] - startedAt, refillMs, endMs: endedAt - ended[ended.length - 1] };
}
