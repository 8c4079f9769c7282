/*
 * 2. Completion-to-output latency: from the moment the emulator completes a call
 *    (stats().completions[callId]) to the moment the result is in hand, stream vs polling fallback.
 * 3. (part) Requests per call on each path, from the emulator's request log.
 */
import type { ClientEvent } from '../../nodes/shared/types';
import { PineVoiceClient } from '../../nodes/shared/voice-client';
import type { RunningEmulator } from '../../test/emulator/types';
import type { CallRequests } from './makespan';
import { benchRequest } from '../baselines/polling';
import { ms } from '../lib/format';
import { benchNumber, clientOptions, requestsPerCall, runPineWorkflow, withEmulator } from '../lib/pine';
import type { Section } from '../lib/report';
import { median, p95 } from '../lib/stats';
import { mapWithConcurrency as slidingWindow } from '../../nodes/shared/batch';

/** Pine allows 5 calls at once; latency is measured with 5 calls in flight, like a batch. */
const SLOTS = 5;
const PINE_POLL_SECONDS = 10;

export interface LatencyConfig {
	msPerMinute: number;
	heartbeatMs: number;
	/** Calls measured per client path. */
	samples: number;
	/** One-item workflows measured through the engine. */
	nodeSamples: number;
	/** First emulator number block this measure may use (each path takes one). */
	block: number;
}

interface Sample {
	latencyMs: number;
	callId: string;
}

export interface LatencyResult {
	section: Section;
	requests: { stream: CallRequests[]; pollingFallback: CallRequests[] };
	latency: { streamMedian: number };
}

export async function measureLatency(config: LatencyConfig): Promise<LatencyResult> {
	const { msPerMinute } = config;
	const pollIntervalMs = (PINE_POLL_SECONDS / 60) * msPerMinute;
	const toRealSeconds = (latencyMs: number) => (latencyMs / msPerMinute) * 60;

	return await withEmulator({ msPerMinute, heartbeatMs: config.heartbeatMs }, async (emulator) => {
		// Short calls are enough for the stream. The polling fallback needs calls that outlast two
		// dropped streams and the backoff between them (< 1.2 s), so that it is polling at completion.
		const streamSeconds = (index: number) => 30 + 3 * index;
		const pollingSeconds = (index: number) => 150 + 3 * index;

		const stream = await clientPath(emulator, config, 'stream', streamSeconds, pollIntervalMs);
		const polling = await clientPath(emulator, config, 'polling', pollingSeconds, pollIntervalMs);
		const node = await nodePath(emulator, config, streamSeconds);

		const lat = (samples: Sample[]) => samples.map((sample) => sample.latencyMs);
		const row = (label: string, samples: Sample[], scaled: boolean) => [
			label,
			ms(median(lat(samples)), 1),
			ms(p95(lat(samples)), 1),
			scaled ? `${(toRealSeconds(median(lat(samples)))).toFixed(1)} s / ${toRealSeconds(p95(lat(samples))).toFixed(1)} s` : 'same (not time-scaled)',
			`${samples.length}`,
		];
		const streamMedian = median(lat(stream.samples));
		const section: Section = {
			title: '2. Completion-to-output latency',
			method: [
				`Emulator at msPerMinute = ${msPerMinute}, heartbeat every ${config.heartbeatMs} ms. Latency = Date.now() when the result is in hand minus stats().completions[callId] (both clocks are this process's Date.now()).`,
				`Client rows: PineVoiceClient.createCall + waitForResult (the code Place & Wait runs), ${SLOTS} calls in flight, ${config.samples} calls per path; "in hand" = when waitForResult resolves.`,
				`Polling fallback forced with the emulator fault dropStreams (2 per call: the stream and its one reconnect drop after a heartbeat), then polling at the node's default 10 s interval, scaled to ${pollIntervalMs.toFixed(1)} ms. Resolution 1 ms (the emulator stamps completions with Date.now()). A sample counts only if the client's onEvent reported "polling" before the call completed (excluded: ${polling.excluded}).`,
				'The node\'s Poll Interval option has a 1 s floor, which cannot be time-scaled, so the fallback is measured on the client: the same waitForResult code Place & Wait calls.',
				`Node row: ${config.nodeSamples} one-item Rows -> Pine Voice (Place & Wait) workflows through n8n-core, ${SLOTS} at a time; "in hand" = when the workflow run resolves with the node's output.`,
				'The polling latency depends on the poll interval, so it is time-scaled: the real-world column converts it back (x 60 000 / msPerMinute). Stream latency is transport time and is not scaled.',
			],
			headers: ['Path', 'Median', 'p95', 'Real-world equivalent (median / p95)', 'Calls'],
			rows: [
				row('Stream (client: waitForResult)', stream.samples, false),
				row('Stream (node: Place & Wait through n8n-core, 1 item)', node, false),
				row(`Polling fallback (client, every scaled 10 s = ${pollIntervalMs.toFixed(1)} ms)`, polling.samples, true),
			],
			notes: [
				`Polling latency is set by the interval: median ${(median(lat(polling.samples)) / pollIntervalMs).toFixed(2)} and p95 ${(p95(lat(polling.samples)) / pollIntervalMs).toFixed(2)} of an interval (a completion falls anywhere between two polls: uniform, median 0.5 expected). Pine's own clients and a hand-wired Wait 10 s loop poll at the same 10 s, so their latency has the same distribution: seconds in real time, against milliseconds on the stream.`,
			],
			summary: [
				{
					measure: '2. Latency, stream path median (client / node)',
					figure: `${ms(streamMedian, 1)} / ${ms(median(lat(node)), 1)}`,
					target: '< 50 ms',
					met: streamMedian < 50 && median(lat(node)) < 50,
					why: `the result event is written by the emulator in the same tick as the completion is stamped, so the time is the client's (and the engine's) own: the p95 is ${ms(p95(lat(stream.samples)), 1)} / ${ms(p95(lat(node)), 1)}; a median this high points at a busy event loop or machine (see the load average).`,
				},
				{ measure: '2. Latency, stream path p95 (client)', figure: ms(p95(lat(stream.samples)), 1), target: '' },
				{
					measure: '2. Latency, polling fallback median / p95 (real-world equivalent)',
					figure: `${toRealSeconds(median(lat(polling.samples))).toFixed(1)} s / ${toRealSeconds(p95(lat(polling.samples))).toFixed(1)} s`,
					target: '',
				},
			],
		};
		return {
			section,
			requests: { stream: stream.requests, pollingFallback: polling.requests },
			latency: { streamMedian },
		};
	});
}

async function clientPath(
	emulator: RunningEmulator,
	config: LatencyConfig,
	path: 'stream' | 'polling',
	durationSeconds: (index: number) => number,
	pollIntervalMs: number,
): Promise<{ samples: Sample[]; requests: CallRequests[]; excluded: number }> {
	const block = config.block + (path === 'stream' ? 0 : 1);
	const pollingSince = new Map<string, number>();
	const onEvent = (event: ClientEvent) => {
		if (event.type === 'polling') pollingSince.set(event.callId, Date.now());
	};
	const client = new PineVoiceClient({ ...clientOptions(emulator), onEvent });
	emulator.controls.resetStats();
	emulator.controls.clearFaults();
	// Every stream of this path drops, two per call (the stream and its one reconnect): the counter
	// is shared by the calls in flight, and each dropped stream consumes one.
	if (path === 'polling') emulator.controls.faults({ dropStreams: 2 * config.samples });
	const results = await slidingWindow(config.samples, SLOTS, async (index) => {
		const phone = benchNumber(block, index);
		emulator.controls.scriptNumber(phone, { durationSeconds: durationSeconds(index) });
		const { call_id: callId } = await client.createCall(benchRequest(phone, index));
		const result = await client.waitForResult(callId, { pollIntervalMs });
		const inHandAt = Date.now();
		if (result.status !== 'completed') throw new Error(`Bench call ${callId} ended ${result.status}`);
		return { callId, inHandAt };
	});
	const completions = emulator.controls.stats().completions;
	const samples: Sample[] = [];
	let excluded = 0;
	for (const { callId, inHandAt } of results) {
		const completedAt = completions[callId];
		const pollingAt = pollingSince.get(callId);
		const onPath = path === 'stream' ? pollingAt === undefined : pollingAt !== undefined && pollingAt < completedAt;
		if (!onPath) {
			excluded++;
			continue;
		}
		samples.push({ callId, latencyMs: inHandAt - completedAt });
	}
	if (path === 'stream' && excluded > 0) throw new Error(`${excluded} stream-path calls fell back to polling`);
	const counts = requestsPerCall(emulator, results.map((result) => result.callId));
	return { samples, requests: counts.map((requests, index) => ({ requests, durationSeconds: durationSeconds(index) })), excluded };
}

async function nodePath(emulator: RunningEmulator, config: LatencyConfig, durationSeconds: (index: number) => number): Promise<Sample[]> {
	const block = config.block + 2;
	emulator.controls.clearFaults();
	emulator.controls.resetStats();
	const results = await slidingWindow(config.nodeSamples, SLOTS, async (index) => {
		const phone = benchNumber(block, index);
		emulator.controls.scriptNumber(phone, { durationSeconds: durationSeconds(index) });
		const [item] = await runPineWorkflow(emulator, [phone], { operation: 'placeAndWait' });
		return { callId: String(item.json.call_id), inHandAt: Date.now() };
	});
	const completions = emulator.controls.stats().completions;
	return results.map(({ callId, inHandAt }) => ({ callId, latencyMs: inHandAt - completions[callId] }));
}
