import { hintFor } from './hints';
import { isRecord, stringField, tryParseJson } from './json';
import { parseRetryAfter } from './retry-after';

export const AUTH_ERROR_CODES = [
	'AUTH_REQUIRED',
	'TOKEN_EXPIRED',
	'SUBSCRIPTION_REQUIRED',
	'UNAUTHORIZED',
	'ACCESS_DENIED',
	'USER_NOT_FOUND',
	'INVALID_CODE',
	'CODE_EXPIRED',
] as const;

export const CALL_ERROR_CODES = [
	'INVALID_PHONE',
	'PHONE_REQUIRED',
	'INSUFFICIENT_DETAIL',
	'DND_BLOCKED',
	'POLICY_VIOLATION',
	'NOT_FOUND',
	'INSUFFICIENT_CREDITS',
	'INVALID_REQUEST',
	/** Ours: a POST failed after it may have reached Pine. */
	'CALL_STATE_UNKNOWN',
] as const;

/** Codes this package raises itself, never sent by Pine. */
export const CLIENT_ERROR_CODES = [
	'SERVER_ERROR',
	'NETWORK_ERROR',
	'INVALID_RESPONSE',
	'INVALID_URL',
	'WAIT_TIMEOUT',
	'CANCELLED',
] as const;

export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];
export type CallErrorCode = (typeof CALL_ERROR_CODES)[number];
export type PineErrorCode = AuthErrorCode | CallErrorCode | 'RATE_LIMITED' | (typeof CLIENT_ERROR_CODES)[number];

export interface PineErrorDetails {
	httpStatus?: number;
	hint?: string;
	/** Seconds to wait before trying again, from Retry-After. */
	retryAfter?: number;
	callId?: string;
	cause?: unknown;
}

export class PineVoiceError extends Error {
	/** A Pine code (see the reference) or one of ours; unknown Pine codes pass through. */
	readonly code: string;
	readonly httpStatus?: number;
	readonly hint?: string;
	readonly retryAfter?: number;
	callId?: string;
	/** The call was placed by an earlier run under the same dedupe key: nothing was placed now. */
	deduplicated?: boolean;

	constructor(code: string, message: string, details: PineErrorDetails = {}) {
		super(message, details.cause === undefined ? undefined : { cause: details.cause });
		this.name = new.target.name;
		this.code = code;
		this.httpStatus = details.httpStatus;
		this.hint = details.hint ?? hintFor(code);
		this.retryAfter = details.retryAfter;
		this.callId = details.callId;
	}

	/** What JSON.stringify shows: the fields, never the cause (it may hold request internals). */
	toJSON(): Record<string, unknown> {
		const { name, code, message, httpStatus, hint, retryAfter, callId } = this;
		return { name, code, message, httpStatus, hint, retryAfter, callId };
	}
}

export class AuthError extends PineVoiceError {}
export class CallError extends PineVoiceError {}
export class RateLimitError extends PineVoiceError {}

/** Builds the error class that fits the code (and, for codes we do not know, the HTTP status). */
export function createPineError(code: string, message: string, details: PineErrorDetails = {}): PineVoiceError {
	if ((AUTH_ERROR_CODES as readonly string[]).includes(code)) return new AuthError(code, message, details);
	if ((CALL_ERROR_CODES as readonly string[]).includes(code)) return new CallError(code, message, details);
	if (code === 'RATE_LIMITED') return new RateLimitError(code, message, details);
	if (details.httpStatus === 401) return new AuthError(code, message, details);
	if (details.httpStatus === 429) return new RateLimitError(code, message, details);
	return new PineVoiceError(code, message, details);
}

type Headers = Record<string, string | string[] | undefined>;

/** Turns any non-2xx answer into a PineVoiceError: a JSON error body, JSON without `error`, HTML or nothing. */
export function errorFromResponse(status: number, bodyText: string, headers: Headers = {}): PineVoiceError {
	const body = tryParseJson(bodyText);
	const reported = isRecord(body) ? readErrorBody(body) : {};
	let message = reported.message ?? describeBody(status, bodyText, body, header(headers, 'content-type'));
	let code = reported.code ?? codeForStatus(status);
	// Whatever a 5xx calls itself, it is a passing server fault: one code lets callers retry it.
	if (status >= 500 && code !== 'SERVER_ERROR') {
		message = `${message} (HTTP ${status}, ${code})`;
		code = 'SERVER_ERROR';
	}
	return createPineError(code, message, {
		httpStatus: status,
		retryAfter: parseRetryAfter(header(headers, 'retry-after')),
	});
}

/** Reads `{"error":{"code","message"}}` and the looser shapes gateways and proxies use. */
function readErrorBody(body: Record<string, unknown>): { code?: string; message?: string } {
	const error = body.error;
	const nested = isRecord(error) ? error : {};
	const code = stringField(nested, 'code') ?? stringField(body, 'code');
	const message =
		stringField(nested, 'message') ??
		(typeof error === 'string' ? error : undefined) ??
		stringField(body, 'message') ??
		stringField(body, 'detail');
	return {
		code: code && /^[A-Za-z][A-Za-z0-9_]*$/.test(code) ? code.toUpperCase() : undefined,
		message: message?.trim() ? oneLine(message, 300) : undefined,
	};
}

function codeForStatus(status: number): PineErrorCode {
	if (status >= 500) return 'SERVER_ERROR';
	switch (status) {
		case 401:
			return 'AUTH_REQUIRED';
		case 402:
			return 'INSUFFICIENT_CREDITS';
		case 403:
			return 'ACCESS_DENIED';
		case 404:
			return 'NOT_FOUND';
		case 429:
			return 'RATE_LIMITED';
		default:
			return status >= 400 ? 'INVALID_REQUEST' : 'INVALID_RESPONSE';
	}
}

function describeBody(status: number, bodyText: string, body: unknown, contentType?: string): string {
	if (bodyText.trim() === '') return `Pine answered HTTP ${status} with an empty body.`;
	if (body === undefined) {
		const type = contentType?.split(';')[0]?.trim() || 'no content type';
		const excerpt = textExcerpt(bodyText);
		return `Pine answered HTTP ${status} with a non-JSON body (${type})${excerpt ? `: "${excerpt}"` : '.'}`;
	}
	return `Pine answered HTTP ${status} without an error code.`;
}

/** A short, readable piece of an HTML or text body: tags, scripts and control characters removed. */
function textExcerpt(text: string): string {
	const withoutMarkup = text
		.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]*>/g, ' ')
		.replace(/&[a-z#0-9]+;/gi, ' ');
	return oneLine(withoutMarkup, 120);
}

function oneLine(text: string, maxLength: number): string {
	const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
	return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}

function header(headers: Headers, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** The error to throw once `signal` has aborted: its reason when that is ours, else CANCELLED. */
export function errorFromAbort(signal: AbortSignal): PineVoiceError {
	if (signal.reason instanceof PineVoiceError) return signal.reason;
	return new PineVoiceError('CANCELLED', 'Stopped because the workflow execution was cancelled.');
}
