/*
 * 3. Requests per call, from the emulator's request log (collected by measures 1 and 2): the
 * stream path, the polling fallback, and polling-only waiting like Pine's own clients.
 */
import type { LatencyResult } from './latency';
import type { CallRequests, MakespanResult } from './makespan';
import type { Section } from '../lib/report';
import { median } from '../lib/stats';

const PINE_POLL_SECONDS = 10;

export function requestsSection(makespan: MakespanResult, latency: LatencyResult): Section {
	const streamCounts = [...makespan.requests.nodeStream, ...latency.requests.stream].map((call) => call.requests);
	const streamMet = streamCounts.every((count) => count === 2);
	const row = (label: string, calls: CallRequests[], note: string) => {
		const counts = calls.map((call) => call.requests);
		const perMinute = calls.map((call) => call.requests / (call.durationSeconds / 60));
		return [label, String(median(counts)), `${Math.min(...counts)}-${Math.max(...counts)}`, median(perMinute).toFixed(2), String(calls.length), note];
	};
	// Pine's clients: 1 POST, then a GET every 10 s until one sees the end.
	const minutes = (calls: CallRequests[]) => {
		const all = calls.map((call) => call.durationSeconds / 60);
		return `calls of ${Number(Math.min(...all).toFixed(1))}-${Number(Math.max(...all).toFixed(1))} min`;
	};
	const expectedOf = (call: CallRequests) => 1 + Math.ceil(call.durationSeconds / PINE_POLL_SECONDS);
	const expected = (calls: CallRequests[]) => median(calls.map(expectedOf));
	const expectedPerMinute = (calls: CallRequests[]) => median(calls.map((call) => expectedOf(call) / (call.durationSeconds / 60)));
	return {
		title: '3. Requests per call',
		method: [
			'Counted per call in the emulator\'s request log: every POST that carried the call\'s number (429s included) plus every GET and stream request for its id.',
			'Stream rows: the node\'s runs in measure 1 (20-call batches through n8n-core) and the client\'s stream runs in measure 2. Polling rows: the forced fallback of measure 2 (two dropped streams, then GETs at the scaled 10 s) and the polling-only baseline (c) of measure 1.',
			'Polling counts grow with the call\'s length, so they are also shown per simulated call minute. Pine\'s clients poll every 10 s: 6 GETs per call minute in real time.',
		],
		headers: ['Path', 'Median per call', 'Range', 'Per call minute (median)', 'Calls', 'Note'],
		rows: [
			row('Stream: Pine Voice node, Place & Wait (batch of 20)', makespan.requests.nodeStream, 'POST + one stream'),
			row('Stream: client waitForResult', latency.requests.stream, 'POST + one stream'),
			row('Polling fallback: client, streams dropped twice', latency.requests.pollingFallback, 'POST + 2 streams + GETs'),
			row('Polling only, every 10 s (Pine\'s clients, hand-wired Wait loop), measured', makespan.requests.pinePolling, 'POST + GETs'),
			[
				'Polling only, every 10 s, real-world expectation for the same calls',
				String(expected(makespan.requests.pinePolling)),
				'',
				expectedPerMinute(makespan.requests.pinePolling).toFixed(2),
				'',
				'1 + duration / 10 s',
			],
		],
		notes: [
			'The measured polling counts are below the real-world expectation: at this time scale each GET\'s own round trip (a few ms, not scaled) is a sizeable part of the scaled 10 s interval, so fewer polls fit into a call. Real clients would make more requests, not fewer.',
		],
		summary: [
			{
				measure: '3. Requests per call, stream path (median, max)',
				figure: `${median(streamCounts)}, ${Math.max(...streamCounts)}`,
				target: '2',
				met: streamMet,
				why: `${streamCounts.filter((count) => count !== 2).length} of ${streamCounts.length} stream-path calls made other than 2 requests (counts: ${[...new Set(streamCounts)].sort((a, b) => a - b).join(', ')}): a POST refused with 429 and retried, or a stream that was reconnected.`,
			},
			{
				measure: '3. Requests per call, polling paths (median)',
				figure: `fallback ${median(latency.requests.pollingFallback.map((call) => call.requests))} (${minutes(latency.requests.pollingFallback)}); polling only every 10 s ${median(makespan.requests.pinePolling.map((call) => call.requests))}, real-world ${expected(makespan.requests.pinePolling)} (${minutes(makespan.requests.pinePolling)})`,
				target: '',
			},
		],
	};
}
