import { createParser } from 'eventsource-parser';
import type { Readable } from 'node:stream';

import { abortScope } from './abort-scope';
import { errorFromAbort, PineVoiceError } from './errors';
import type { HttpTransport } from './http';
import { tryParseJson } from './json';
import { toCallResult } from './payloads';
import { isTransient, sleep } from './retry';
import { isInProgressStatus } from './status';
import type { CallResult } from './types';

export type StreamOutcome =
	| { kind: 'result'; result: CallResult }
	/** The stream ended, dropped, went silent or answered 429/5xx: worth another way of asking. */
	| { kind: 'interrupted'; reason: string; lastEventId?: string; error?: PineVoiceError };

export interface StreamOptions {
	signal: AbortSignal;
	silenceMs: number;
	lastEventId?: string;
}

export function streamPath(callId: string): string {
	return `/api/v2/voice/call/${encodeURIComponent(callId)}/stream`;
}

/**
 * Listens on one SSE connection until Pine sends a terminal `result` event.
 * Every byte (heartbeats included) proves the connection alive; `silenceMs` without one ends it.
 * Errors that retrying cannot fix (401/403/404, ...) and aborts are thrown.
 */
export async function readResultFromStream(
	transport: HttpTransport,
	callId: string,
	options: StreamOptions,
): Promise<StreamOutcome> {
	const scope = abortScope(options.signal);
	let lastEventId = options.lastEventId;
	let lastByteAt = Date.now();
	let silent = false;
	let result: CallResult | undefined;

	const parser = createParser({
		onEvent(event) {
			if (event.id !== undefined) lastEventId = event.id;
			if (event.event !== 'result' || result) return;
			const candidate = toCallResult(tryParseJson(transport.redact(event.data)), callId);
			// A result event is Pine's final word: a status we do not know yet (one Pine added later)
			// ends the wait too. Only an explicit in-progress status is ignored.
			if (endsTheCall(candidate.status)) result = candidate;
		},
	});

	void watchSilence(options.silenceMs, () => lastByteAt, scope.signal).then((expired) => {
		if (!expired) return;
		silent = true;
		scope.dispose();
	});

	let body: Readable | undefined;
	try {
		body = await transport.openStream(streamPath(callId), { signal: scope.signal, lastEventId });
		const decoder = new TextDecoder();
		for await (const chunk of body as AsyncIterable<Uint8Array>) {
			lastByteAt = Date.now();
			parser.feed(decoder.decode(chunk, { stream: true }));
			if (result) return { kind: 'result', result };
		}
		return { kind: 'interrupted', reason: 'the stream ended without a result', lastEventId };
	} catch (error) {
		if (options.signal.aborted) throw errorFromAbort(options.signal);
		if (silent) return { kind: 'interrupted', reason: `no data for ${options.silenceMs} ms`, lastEventId };
		// Errors while reading the body (reset, closed socket) arrive raw from undici.
		const failure = error instanceof PineVoiceError ? error : transport.networkError(error);
		if (!isTransient(failure)) throw failure;
		return { kind: 'interrupted', reason: failure.message, lastEventId, error: failure };
	} finally {
		scope.dispose();
		body?.destroy();
	}
}

/** Resolves true once `silenceMs` pass without a new byte, false when the signal ends the watch first. */
async function watchSilence(silenceMs: number, lastByteAt: () => number, signal: AbortSignal): Promise<boolean> {
	try {
		for (;;) {
			const quietFor = Date.now() - lastByteAt();
			if (quietFor >= silenceMs) return true;
			await sleep(silenceMs - quietFor, signal);
		}
	} catch {
		return false; // the stream finished or was aborted: nothing to watch any more
	}
}

function endsTheCall(status: string): boolean {
	return status !== 'unknown' && !isInProgressStatus(status);
}
