/**
 * What the reference says a client must make of an answer, written independently of nodes/shared
 * so the fuzz properties have something to compare with: error codes, which answers are worth
 * another try, which end a call, and how an SSE stream splits into events.
 */
import type { Answer } from './scripted-server';

/** Raw statuses and what they mean (pine-api-facts.md, "Status values"), keys lower-cased. */
const TERMINAL: Record<string, string> = {
	completed: 'completed',
	hungupbypeer: 'completed',
	hungupbylocal: 'completed',
	timeout: 'completed',
	toolongsilence: 'completed',
	failed: 'failed',
	internalerror: 'failed',
	dialfailed: 'failed',
	noanswer: 'failed',
	declined: 'failed',
	cancelled: 'cancelled',
	canceled: 'cancelled',
};

export function terminalStatus(raw: unknown): string | undefined {
	return typeof raw === 'string' ? TERMINAL[raw.trim().toLowerCase()] : undefined;
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	if (text.trim() === '') return { ok: false };
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function codeForStatus(status: number): string {
	if (status >= 500) return 'SERVER_ERROR';
	const known: Record<number, string> = { 401: 'AUTH_REQUIRED', 402: 'INSUFFICIENT_CREDITS', 403: 'ACCESS_DENIED', 404: 'NOT_FOUND', 429: 'RATE_LIMITED' };
	return known[status] ?? (status >= 400 ? 'INVALID_REQUEST' : 'INVALID_RESPONSE');
}

/** The code of a non-2xx answer: the body's `error.code` (or `code`) when it is a code, else the status's; any 5xx is SERVER_ERROR. */
export function answerCode(answer: Answer): string {
	if (answer.kind !== 'http') return 'NETWORK_ERROR';
	if (answer.status >= 500) return 'SERVER_ERROR';
	const body = parseJson(answer.body);
	let code: unknown;
	if (body.ok && isRecord(body.value)) {
		const error = body.value.error;
		code = (isRecord(error) && typeof error.code === 'string' ? error.code : undefined) ?? body.value.code;
	}
	return typeof code === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(code) ? code.toUpperCase() : codeForStatus(answer.status);
}

export const isSuccess = (answer: Answer) => answer.kind === 'http' && answer.status >= 200 && answer.status < 300;
/** Pine refused the call for rate: its code says RATE_LIMITED. A POST must be repeated after it. */
export const isRateLimit = (answer: Answer) => answer.kind === 'http' && !isSuccess(answer) && answerCode(answer) === 'RATE_LIMITED';
/**
 * Pine surely did not act on the POST, so sending it again is safe: a rate limit, or any 429 (HTTP's
 * "too many requests" is a refusal, whatever code the body gives).
 */
export const mayRepeatPost = (answer: Answer) => isRateLimit(answer) || (answer.kind === 'http' && answer.status === 429);
/** Worth another try for a request that is safe to repeat: a reset, a 5xx, a rate limit. */
export const isTransient = (answer: Answer) => answer.kind === 'reset' || (answer.kind === 'http' && !isSuccess(answer) && ['SERVER_ERROR', 'RATE_LIMITED'].includes(answerCode(answer)));

/** The call id a create answer carries: a non-empty string, or a finite number as text. */
export function createdCallId(answer: Answer): string | undefined {
	if (!isSuccess(answer) || answer.kind !== 'http') return undefined;
	const body = parseJson(answer.body);
	if (!body.ok || !isRecord(body.value)) return undefined;
	const id = body.value.call_id;
	if (typeof id === 'string' && id !== '') return id;
	if (typeof id === 'number' && Number.isFinite(id)) return String(id);
	return undefined;
}

export interface SseEvent {
	event: string;
	data: string;
	id?: string;
}

/** Splits an event stream into the events it dispatches (the WHATWG rules, enough for these tests). */
export function sseEvents(text: string): SseEvent[] {
	const events: SseEvent[] = [];
	let event = '';
	let data: string[] = [];
	let id: string | undefined;
	let hasData = false;
	for (const line of text.split(/\r\n|\r|\n/).slice(0, -1)) {
		if (line === '') {
			if (hasData) events.push({ event: event || 'message', data: data.join('\n'), id });
			event = '';
			data = [];
			hasData = false;
			continue;
		}
		if (line.startsWith(':')) continue;
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'event') event = value;
		else if (field === 'data') {
			data.push(value);
			hasData = true;
		} else if (field === 'id' && !value.includes('\0')) id = value;
	}
	return events;
}

const IN_PROGRESS = new Set(['in_progress', 'initiated']);

/**
 * What a `result` event says about the call: its status (normalized when known, else as sent), or
 * undefined when it says nothing final (no JSON object, no status, or a status still in progress).
 * A result event is Pine's final word: a status unknown to the client ends the wait too.
 */
export function resultEventStatus(data: string): string | undefined {
	const body = parseJson(data);
	if (!body.ok || !isRecord(body.value)) return undefined;
	const raw = body.value.status;
	if (typeof raw !== 'string' || raw.trim() === '') return undefined;
	const key = raw.trim().toLowerCase();
	if (IN_PROGRESS.has(key)) return undefined;
	return TERMINAL[key] ?? raw;
}

/** The status the first final `result` event of a stream answer carries: the one that ends the wait. */
export function streamResult(answer: Answer): string | undefined {
	if (answer.kind !== 'sse') return undefined;
	for (const event of sseEvents(answer.chunks.join(''))) {
		if (event.event !== 'result') continue;
		const status = resultEventStatus(event.data);
		if (status !== undefined) return status;
	}
	return undefined;
}
