import { DEFAULT_AUTH_URL, normalizeBaseUrl } from './base-url';
import { AuthError, PineVoiceError } from './errors';
import { HttpTransport, type HttpAnswer } from './http';
import { isRecord, stringField, tryParseJson } from './json';
import type { Logger } from './types';

const REQUEST_PATH = '/api/v2/auth/email/request';
const VERIFY_PATH = '/api/v2/auth/email/verify';

export interface PineAuthClientOptions {
	/** Defaults to https://www.19pine.ai. */
	authUrl?: string;
	logger?: Logger;
}

export interface VerifiedAccount {
	email: string;
	userId: string;
	accessToken: string;
}

/** Pine's email-code sign-in: request a code, then trade it for an access token. Nothing is retried. */
export class PineAuthClient {
	private readonly baseUrl: string;

	constructor(private readonly options: PineAuthClientOptions = {}) {
		this.baseUrl = normalizeBaseUrl(options.authUrl || DEFAULT_AUTH_URL, 'Pine auth URL');
	}

	async requestCode(email: string, options: { signal?: AbortSignal } = {}): Promise<{ requestToken: string }> {
		const transport = this.transport([]);
		const answer = await transport.send('POST', REQUEST_PATH, { body: { email: email.trim() }, signal: options.signal });
		if (!isSuccess(answer)) throw requestCodeError(transport.errorFrom(answer));
		const requestToken = stringField(unwrap(answer), 'request_token');
		if (!requestToken) throw invalidAnswer(answer, 'no request token');
		return { requestToken };
	}

	async verifyCode(
		email: string,
		requestToken: string,
		code: string,
		options: { signal?: AbortSignal } = {},
	): Promise<VerifiedAccount> {
		const transport = this.transport([requestToken]);
		const answer = await transport.send('POST', VERIFY_PATH, {
			body: { email: email.trim(), request_token: requestToken, code: code.trim() },
			signal: options.signal,
		});
		if (!isSuccess(answer)) throw transport.errorFrom(answer);
		const data = unwrap(answer);
		const userId = stringField(data, 'id') ?? stringField(data, 'user_id') ?? numericId(data);
		const accessToken = stringField(data, 'access_token');
		if (!userId || !accessToken) throw invalidAnswer(answer, 'no user ID or access token');
		return { email: stringField(data, 'email') ?? email.trim(), userId, accessToken };
	}

	private transport(secrets: string[]): HttpTransport {
		return new HttpTransport({ baseUrl: this.baseUrl, secrets, logger: this.options.logger });
	}
}

function isSuccess(answer: HttpAnswer): boolean {
	return answer.status >= 200 && answer.status < 300;
}

/** Pine wraps auth answers in `{"status":"success","data":{...}}`; an unwrapped body is read as is. */
function unwrap(answer: HttpAnswer): Record<string, unknown> {
	const body = tryParseJson(answer.text);
	if (!isRecord(body)) return {};
	return isRecord(body.data) ? body.data : body;
}

function numericId(data: Record<string, unknown>): string | undefined {
	return typeof data.id === 'number' ? String(data.id) : undefined;
}

/** A 400/422 without a clear code on the request step almost always means an unknown email. */
function requestCodeError(error: PineVoiceError): PineVoiceError {
	const status = error.httpStatus;
	if ((status === 400 || status === 422) && error.code === 'INVALID_REQUEST') {
		return new AuthError('USER_NOT_FOUND', `There is no Pine account for this email (HTTP ${status}: ${error.message})`, {
			httpStatus: status,
		});
	}
	return error;
}

/** Never quotes the body: a success answer may carry the access token. */
function invalidAnswer(answer: HttpAnswer, what: string): PineVoiceError {
	return new PineVoiceError('INVALID_RESPONSE', `Pine's auth service answered HTTP ${answer.status} with ${what}.`, {
		httpStatus: answer.status,
	});
}
