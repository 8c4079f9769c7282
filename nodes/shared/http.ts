import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import type { Readable } from 'node:stream';

import { version } from '../../package.json';
import { errorFromAbort, errorFromResponse, PineVoiceError } from './errors';
import type { ClientEvent, Logger } from './types';

export const USER_AGENT = `n8n-nodes-pine-voice/${version}`;

const CONNECT_TIMEOUT_MS = 10_000;
/** Creating a call blocks while Pine sets it up, so answers may take a while. */
const HEADERS_TIMEOUT_MS = 120_000;
const BODY_TIMEOUT_MS = 60_000;

/** Connection failures that happen before any byte of the request left: a POST may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused (is the server running at that address?)',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be looked up right now',
	UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
	ETIMEDOUT: 'the connection timed out',
	UND_ERR_HEADERS_TIMEOUT: 'Pine did not answer in time',
	UND_ERR_BODY_TIMEOUT: 'the answer stopped arriving',
	ECONNRESET: 'the connection was reset',
	UND_ERR_SOCKET: 'the connection was closed before the answer was complete',
	EPIPE: 'the connection was closed while sending',
};

let dispatcher: Dispatcher | undefined;

/** One connection pool for the whole package; honours HTTP(S)_PROXY and NO_PROXY like n8n does. */
export function sharedDispatcher(): Dispatcher {
	dispatcher ??= new EnvHttpProxyAgent({
		connect: { timeout: CONNECT_TIMEOUT_MS },
		headersTimeout: HEADERS_TIMEOUT_MS,
		bodyTimeout: BODY_TIMEOUT_MS,
	});
	return dispatcher;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface HttpAnswer {
	status: number;
	headers: ResponseHeaders;
	/** The body with every secret already redacted. */
	text: string;
}

export interface HttpTransportOptions {
	/** Already checked with normalizeBaseUrl. */
	baseUrl: string;
	headers?: Record<string, string>;
	/** Values that must never leave the transport in a body, an error or a log line. */
	secrets?: string[];
	logger?: Logger;
	onEvent?: (event: ClientEvent) => void;
	headersTimeoutMs?: number;
}

export interface SendOptions {
	body?: unknown;
	signal?: AbortSignal;
}

/** JSON over HTTP for one Pine host: headers, timeouts, redaction and network-error mapping. */
export class HttpTransport {
	private readonly secrets: string[];

	constructor(private readonly options: HttpTransportOptions) {
		// Short values would redact ordinary words; real tokens are long.
		this.secrets = (options.secrets ?? []).filter((secret) => secret.length >= 8);
	}

	async send(method: 'GET' | 'POST', path: string, { body, signal }: SendOptions = {}): Promise<HttpAnswer> {
		const started = Date.now();
		try {
			const response = await request(this.url(path), {
				method,
				headers: this.headers({ accept: 'application/json' }),
				body: body === undefined ? undefined : JSON.stringify(body),
				signal,
				dispatcher: sharedDispatcher(),
				headersTimeout: this.options.headersTimeoutMs,
			});
			const text = this.redact(await response.body.text());
			this.report(method, path, started, response.statusCode);
			return { status: response.statusCode, headers: response.headers, text };
		} catch (error) {
			this.report(method, path, started);
			throw this.networkError(error, signal);
		}
	}

	/** Opens the SSE stream; a non-2xx answer is thrown as the PineVoiceError it carries. */
	async openStream(
		path: string,
		{ signal, lastEventId }: { signal: AbortSignal; lastEventId?: string },
	): Promise<Readable> {
		const started = Date.now();
		let response: Dispatcher.ResponseData;
		try {
			response = await request(this.url(path), {
				method: 'GET',
				headers: this.headers({
					accept: 'text/event-stream',
					...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
				}),
				signal,
				dispatcher: sharedDispatcher(),
				headersTimeout: this.options.headersTimeoutMs,
				// The caller watches for silence itself: heartbeats may be far apart.
				bodyTimeout: 0,
			});
		} catch (error) {
			this.report('GET', path, started);
			throw this.networkError(error, signal);
		}
		this.report('GET', path, started, response.statusCode);
		if (response.statusCode >= 200 && response.statusCode < 300) return response.body;
		let text = '';
		try {
			text = this.redact(await response.body.text());
		} catch (error) {
			throw this.networkError(error, signal);
		}
		throw this.errorFrom({ status: response.statusCode, headers: response.headers, text });
	}

	errorFrom(answer: HttpAnswer): PineVoiceError {
		return errorFromResponse(answer.status, answer.text, answer.headers);
	}

	redact(text: string): string {
		return this.secrets.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
	}

	private url(path: string): string {
		return `${this.options.baseUrl}${path}`;
	}

	private headers(extra: Record<string, string>): Record<string, string> {
		return {
			'content-type': 'application/json',
			'user-agent': USER_AGENT,
			...this.options.headers,
			...extra,
		};
	}

	private report(method: string, path: string, started: number, status?: number): void {
		const durationMs = Date.now() - started;
		this.options.logger?.debug(`Pine ${method} ${path} -> ${status ?? 'no answer'}`, { status, durationMs });
		this.options.onEvent?.({ type: 'request', method, path, status, durationMs });
	}

	/** A failure to get an answer, as NETWORK_ERROR (or the abort reason when `signal` aborted). */
	networkError(error: unknown, signal?: AbortSignal): PineVoiceError {
		if (signal?.aborted) return errorFromAbort(signal);
		if (error instanceof PineVoiceError) return error;
		const code = errorCode(error);
		this.options.logger?.debug('Pine request failed without an answer', { code, detail: this.redact(errorMessage(error)) });
		// In words, not as ECONNREFUSED & co.: n8n swaps a message naming such a code for a generic one.
		const what = NETWORK_FAILURES[code ?? ''] ?? 'the connection failed';
		return new PineVoiceError('NETWORK_ERROR', `Could not get an answer from Pine at ${this.options.baseUrl}: ${what}.`, {
			cause: error,
		});
	}
}

/** True when the request failed before it was sent, so Pine cannot have acted on it. */
export function failedBeforeSending(error: unknown): boolean {
	if (!(error instanceof PineVoiceError) || error.code !== 'NETWORK_ERROR') return false;
	return NOT_SENT_CODES.has(errorCode(error.cause) ?? '');
}

/** Duck-typed: errors from Node's core may come from another realm (jest, vm), failing instanceof. */
function errorCode(error: unknown): string | undefined {
	let current = error;
	for (let depth = 0; typeof current === 'object' && current !== null && depth < 4; depth++) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string') return code;
		current = cause;
	}
	return undefined;
}

function errorMessage(error: unknown): string {
	const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
	return typeof message === 'string' ? message : String(error);
}
