import type { LiveCall } from './calls';
import type { Exchange } from './http-io';
import type { EmulatorState } from './state';

const SSE_HEADERS = {
	'Content-Type': 'text/event-stream',
	'Cache-Control': 'no-cache',
	Connection: 'keep-alive',
};
/** How long a silent stream stays open after its call ended. */
const SILENT_GRACE_MS = 1000;

/**
 * GET /voice/call/:id/stream: `: connected`, heartbeats, then one `result` event carrying the
 * terminal GET body, then the response ends. Faults may drop or silence the stream instead.
 */
export function serveStream(ex: Exchange, call: LiveCall, state: EmulatorState): void {
	const { res } = ex;
	const { timers, calls, settings } = state;
	const fault = state.faults.takeStreamFault();
	const cleanups: Array<() => void> = [];
	state.openStreams.add(res);
	res.on('close', () => {
		state.openStreams.delete(res);
		for (const cleanup of cleanups) cleanup();
	});

	ex.record.status = 200;
	res.writeHead(200, SSE_HEADERS);

	if (fault === 'silent') {
		res.flushHeaders();
		const untilEndMs = Math.max(0, call.info.endsAt - Date.now());
		const closer = timers.after(untilEndMs + SILENT_GRACE_MS, () => res.destroy());
		cleanups.push(() => timers.cancel(closer));
		return;
	}

	res.write(': connected\n\n');

	if (fault === 'drop') {
		const dropper = timers.after(settings.heartbeatMs, () => {
			res.write(': heartbeat\n\n', () => res.destroy());
		});
		cleanups.push(() => timers.cancel(dropper));
		return;
	}

	const heartbeat = timers.every(settings.heartbeatMs, () => res.write(': heartbeat\n\n'));
	cleanups.push(() => timers.cancel(heartbeat));
	cleanups.push(
		calls.whenEnded(call, () => {
			res.end(`id: ${calls.nextEventId(call)}\nevent: result\ndata: ${call.resultJson}\n\n`);
		}),
	);
}
