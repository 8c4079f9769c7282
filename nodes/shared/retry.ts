import { errorFromAbort, PineVoiceError } from './errors';

export interface RetryPolicy {
	/** Tries in total, the first one included. */
	attempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

/** Node's timers cannot wait longer than this (about 24.8 days); longer waits fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Errors that may go away by themselves: worth another try for requests that are safe to repeat. */
const TRANSIENT_CODES = new Set(['NETWORK_ERROR', 'SERVER_ERROR', 'RATE_LIMITED']);

export function isTransient(error: unknown): error is PineVoiceError {
	return error instanceof PineVoiceError && TRANSIENT_CODES.has(error.code);
}

/** Full jitter: a random delay between 0 and the capped exponential step (attempt counts from 0). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(random() * step);
}

/** The server's Retry-After when it gave one, else the jittered backoff. */
export function retryDelay(attempt: number, policy: RetryPolicy, retryAfterSeconds?: number): number {
	return retryAfterSeconds === undefined ? backoffDelay(attempt, policy) : Math.ceil(retryAfterSeconds * 1000);
}

/** A Retry-After longer than the policy's longest wait is not waited out: the error is reported instead. */
export function asksTooLongAWait(error: PineVoiceError, policy: RetryPolicy): boolean {
	return error.retryAfter !== undefined && error.retryAfter * 1000 > policy.maxDelayMs;
}

/** Waits `ms`; rejects at once with the abort reason (see errorFromAbort) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(errorFromAbort(signal));
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			reject(errorFromAbort(signal as AbortSignal));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, Math.min(Math.max(0, ms), MAX_TIMER_MS));
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
