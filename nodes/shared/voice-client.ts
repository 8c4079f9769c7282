import { abortScope } from './abort-scope';
import { DEFAULT_GATEWAY_URL, normalizeBaseUrl } from './base-url';
import { readResultFromStream } from './call-stream';
import { AuthError, CallError, PineVoiceError, RateLimitError } from './errors';
import { failedBeforeSending, HttpTransport, type HttpAnswer } from './http';
import { tryParseJson } from './json';
import { toCallResult, toCreateCallBody, toCreatedCall } from './payloads';
import { asksTooLongAWait, DEFAULT_RETRY_POLICY, isTransient, retryDelay, sleep, type RetryPolicy } from './retry';
import { isTerminalStatus } from './status';
import type { CallRequest, CallResult, ClientEvent, CreatedCall, Logger } from './types';

const CALL_PATH = '/api/v2/voice/call';
const DEFAULT_RATE_LIMIT_WAIT_MS = 15 * 60_000;
/** The longest call (120 minutes) plus a margin for setup and the summary. */
const DEFAULT_WAIT_TIMEOUT_MS = 130 * 60_000;
const DEFAULT_POLL_INTERVAL_MS = 10_000;
const MIN_POLL_INTERVAL_MS = 10;
const DEFAULT_SILENCE_MS = 45_000;

export interface PineVoiceClientOptions {
	accessToken: string;
	userId: string;
	/** Defaults to Pine's staging gateway, like the official clients. */
	gatewayUrl?: string;
	logger?: Logger;
	retry?: Partial<RetryPolicy>;
	/** Longest wait for response headers; creating a call blocks while Pine sets it up. */
	headersTimeoutMs?: number;
	onEvent?: (event: ClientEvent) => void;
}

export interface CreateCallOptions {
	signal?: AbortSignal;
	/** How long 429 RATE_LIMITED answers are waited out before giving up (default 15 minutes). */
	rateLimitWaitMs?: number;
}

export interface WaitOptions {
	signal?: AbortSignal;
	/** Default: the longest possible call plus a margin (130 minutes). */
	timeoutMs?: number;
	/** Polling fallback interval (default 10 s). */
	pollIntervalMs?: number;
	/** A stream quiet for this long counts as dead (default 45 s). */
	silenceMs?: number;
}

export class PineVoiceClient {
	private readonly transport: HttpTransport;
	private readonly retry: RetryPolicy;

	/** The Pine user the client acts for (sent as X-Pine-User-Id; not a secret). */
	readonly userId: string;

	constructor(private readonly options: PineVoiceClientOptions) {
		const accessToken = requireHeaderValue(options.accessToken, 'access token');
		const userId = requireHeaderValue(options.userId, 'user ID');
		this.userId = userId;
		this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
		this.transport = new HttpTransport({
			baseUrl: normalizeBaseUrl(options.gatewayUrl || DEFAULT_GATEWAY_URL, 'Pine gateway URL'),
			headers: { authorization: `Bearer ${accessToken}`, 'x-pine-user-id': userId },
			secrets: [accessToken],
			logger: options.logger,
			onEvent: options.onEvent,
			headersTimeoutMs: options.headersTimeoutMs,
		});
	}

	/**
	 * Places a call. The POST is sent again only when Pine surely did not act on it:
	 * after 429 RATE_LIMITED, or when the connection failed before the request left.
	 */
	async createCall(request: CallRequest, options: CreateCallOptions = {}): Promise<CreatedCall> {
		const { signal, rateLimitWaitMs = DEFAULT_RATE_LIMIT_WAIT_MS } = options;
		const body = toCreateCallBody(request);
		const giveUpAt = Date.now() + rateLimitWaitMs;
		let connectFailures = 0;
		let rateLimits = 0;
		for (;;) {
			let answer: HttpAnswer;
			try {
				answer = await this.transport.send('POST', CALL_PATH, { body, signal });
			} catch (error) {
				if (!failedBeforeSending(error) || ++connectFailures >= this.retry.attempts) {
					throw afterPostFailure(error);
				}
				const delayMs = retryDelay(connectFailures - 1, this.retry);
				await this.pause('POST', CALL_PATH, connectFailures, 'NETWORK_ERROR', delayMs, signal);
				continue;
			}
			if (answer.status >= 200 && answer.status < 300) {
				const created = toCreatedCall(tryParseJson(answer.text));
				if (created) return created;
				throw callStateUnknown(`Pine answered HTTP ${answer.status} without a call ID.`, answer.status);
			}
			const error = this.transport.errorFrom(answer);
			if (error instanceof RateLimitError) {
				const delayMs = retryDelay(rateLimits++, this.retry, error.retryAfter);
				if (Date.now() + delayMs > giveUpAt) throw error;
				await this.pause('POST', CALL_PATH, rateLimits, error.code, delayMs, signal);
				continue;
			}
			throw isRefusal(answer.status) ? error : afterPostFailure(error);
		}
	}

	/** Reads a call once; network errors, 5xx and 429 are retried with backoff. */
	async getCall(callId: string, options: { signal?: AbortSignal } = {}): Promise<CallResult> {
		const path = `${CALL_PATH}/${encodeURIComponent(callId)}`;
		for (let attempt = 0; ; attempt++) {
			try {
				const answer = await this.transport.send('GET', path, { signal: options.signal });
				if (answer.status < 200 || answer.status >= 300) throw this.transport.errorFrom(answer);
				const body = tryParseJson(answer.text);
				if (body === undefined) {
					throw new PineVoiceError('INVALID_RESPONSE', `Pine answered HTTP ${answer.status} with a body that is not JSON.`, {
						httpStatus: answer.status,
					});
				}
				return toCallResult(body, callId);
			} catch (error) {
				if (!isTransient(error) || attempt + 1 >= this.retry.attempts || asksTooLongAWait(error, this.retry)) {
					throw withCallId(error, callId);
				}
				const delayMs = retryDelay(attempt, this.retry, error.retryAfter);
				await this.pause('GET', path, attempt + 1, error.code, delayMs, options.signal);
			}
		}
	}

	/**
	 * Waits for the call's final result: the SSE stream first, one reconnect (with Last-Event-Id),
	 * then polling. Ends with WAIT_TIMEOUT after `timeoutMs` and CANCELLED when `signal` aborts.
	 */
	async waitForResult(callId: string, options: WaitOptions = {}): Promise<CallResult> {
		const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
		const scope = abortScope(options.signal, { ms: timeoutMs, error: () => waitTimeout(callId, timeoutMs) });
		try {
			let lastEventId: string | undefined;
			let reason = '';
			for (let attempt = 0; attempt < 2; attempt++) {
				this.options.onEvent?.(
					attempt === 0 ? { type: 'stream-open', callId } : { type: 'stream-retry', callId, lastEventId, reason },
				);
				const outcome = await readResultFromStream(this.transport, callId, {
					signal: scope.signal,
					silenceMs: options.silenceMs ?? DEFAULT_SILENCE_MS,
					lastEventId,
				});
				if (outcome.kind === 'result') return outcome.result;
				({ lastEventId, reason } = outcome);
				this.options.logger?.warn(`Pine result stream for call ${callId} interrupted: ${reason}`);
				if (attempt === 0) {
					await sleep(Math.min(this.retry.maxDelayMs, retryDelay(0, this.retry, outcome.error?.retryAfter)), scope.signal);
				}
			}
			this.options.onEvent?.({ type: 'polling', callId, reason });
			const intervalMs = Math.max(MIN_POLL_INTERVAL_MS, options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
			return await this.pollUntilTerminal(callId, intervalMs, scope.signal);
		} catch (error) {
			throw withCallId(error, callId);
		} finally {
			scope.dispose();
		}
	}

	private async pollUntilTerminal(callId: string, intervalMs: number, signal: AbortSignal): Promise<CallResult> {
		for (;;) {
			try {
				const result = await this.getCall(callId, { signal });
				if (isTerminalStatus(result.status)) return result;
			} catch (error) {
				if (signal.aborted || !isTransient(error)) throw withCallId(error, callId);
				this.options.logger?.warn(`Polling call ${callId} failed, polling on: ${error.message}`);
			}
			await sleep(intervalMs, signal);
		}
	}

	private async pause(
		method: string,
		path: string,
		attempt: number,
		reason: string,
		delayMs: number,
		signal?: AbortSignal,
	): Promise<void> {
		this.options.logger?.warn(`Pine ${method} ${path} failed (${reason}), retry ${attempt} in ${delayMs} ms`);
		this.options.onEvent?.({ type: 'retry', method, path, attempt, delayMs, reason });
		await sleep(delayMs, signal);
	}
}

/** A 4xx means Pine refused the request, except 408 (it gave up reading it, maybe after acting). */
function isRefusal(status: number): boolean {
	return status >= 400 && status < 500 && status !== 408;
}

/**
 * What a failed POST means for the user: a request that never left stays a network error and a
 * cancel stays a cancel; after anything else the call may have been placed.
 */
function afterPostFailure(error: unknown): unknown {
	if (!(error instanceof PineVoiceError) || error.code === 'CANCELLED' || failedBeforeSending(error)) return error;
	return callStateUnknown(error.message, error.httpStatus, error);
}

function callStateUnknown(what: string, httpStatus?: number, cause?: unknown): CallError {
	return new CallError(
		'CALL_STATE_UNKNOWN',
		`Pine did not confirm the call: ${what} The call may have been placed — check it before trying again.`,
		{ httpStatus, cause },
	);
}

function waitTimeout(callId: string, timeoutMs: number): PineVoiceError {
	return new PineVoiceError(
		'WAIT_TIMEOUT',
		`Stopped waiting for call ${callId} after ${formatDuration(timeoutMs)}; the call may still be running.`,
		{ callId },
	);
}

function withCallId(error: unknown, callId: string): unknown {
	if (error instanceof PineVoiceError && error.callId === undefined) error.callId = callId;
	return error;
}

function requireHeaderValue(value: string | undefined, label: string): string {
	const trimmed = value?.trim() ?? '';
	if (trimmed === '') throw new AuthError('AUTH_REQUIRED', `The Pine Voice credential has no ${label}.`);
	if (!/^[\x21-\x7e]+$/.test(trimmed)) {
		const problem = 'contains spaces or unusual characters';
		throw new AuthError('AUTH_REQUIRED', `The ${label} in the Pine Voice credential ${problem}.`);
	}
	return trimmed;
}

function formatDuration(ms: number): string {
	if (ms >= 60_000) return `${Math.round(ms / 6_000) / 10} minutes`;
	return ms >= 1_000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
