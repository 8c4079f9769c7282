import { isRecord, isWellFormedText, numberField, stringField } from './json';
import { normalizeStatus } from './status';
import type { CallRequest, CallResult, CreatedCall, TranscriptTurn } from './types';

export const DEFAULT_MAX_DURATION_MINUTES = 120;

/** The POST body, sent the way Pine's official client sends it. */
export function toCreateCallBody(request: CallRequest): Record<string, unknown> {
	const body: Record<string, unknown> = {
		dialed_number: request.dialed_number,
		callee_name: request.callee_name,
		callee_context: request.callee_context,
		call_objective: request.call_objective,
		detailed_instructions: request.detailed_instructions ?? '',
		max_duration_minutes: request.max_duration_minutes ?? DEFAULT_MAX_DURATION_MINUTES,
	};
	if (request.caller) body.caller = request.caller;
	if (request.voice) body.voice = request.voice;
	if (request.enable_summary === true) body.enable_summary = true;
	return body;
}

/** The create answer, or undefined when it carries no call id (the call's fate is then unknown). */
export function toCreatedCall(body: unknown): CreatedCall | undefined {
	if (!isRecord(body)) return undefined;
	const callId = stringField(body, 'call_id') ?? numberField(body, 'call_id')?.toString();
	// A call id that cannot go into a URL is no use for reading the call: treat it as missing.
	if (!callId || !isWellFormedText(callId)) return undefined;
	return { call_id: callId, status: normalizeStatus(body.status ?? 'in_progress').status };
}

/** A GET answer or a stream result, read tolerantly: odd fields become undefined or []. */
export function toCallResult(body: unknown, requestedCallId: string): CallResult {
	const record = isRecord(body) ? body : {};
	const { status, rawStatus } = normalizeStatus(record.status);
	const transcript = toTranscript(record.transcript);
	return withoutUndefined({
		call_id: stringField(record, 'call_id') || requestedCallId,
		status,
		raw_status: rawStatus,
		duration_seconds: numberField(record, 'duration_seconds'),
		summary: stringField(record, 'summary'),
		transcript,
		transcript_text: transcript.map((turn) => `${turn.speaker}: ${turn.text}`).join('\n'),
		credits_charged: numberField(record, 'credits_charged'),
	});
}

function toTranscript(value: unknown): TranscriptTurn[] {
	if (!Array.isArray(value)) return [];
	return value.filter(isRecord).map((turn) => ({
		speaker: stringField(turn, 'speaker') ?? 'unknown',
		text: stringField(turn, 'text') ?? '',
	}));
}

/** Keeps absent fields out of the output instead of showing `undefined` keys. */
function withoutUndefined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
