import { type ApiError, type Exchange, type ParsedBody, sendError, sendJson } from './http-io';
import type { EmulatorState } from './state';

export const REQUEST_CODE_PATH = '/api/v2/auth/email/request';
export const VERIFY_CODE_PATH = '/api/v2/auth/email/verify';

function invalidRequest(message: string): ApiError {
	return { status: 400, code: 'INVALID_REQUEST', message };
}

/** Non-empty string fields of a JSON object body, or the name of the first one missing. */
function readFields<K extends string>(body: ParsedBody, names: readonly K[]): Record<K, string> | string {
	if (!body.ok) return body.reason;
	const value = body.value;
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the body must be a JSON object';
	const fields = value as Record<string, unknown>;
	const result = {} as Record<K, string>;
	for (const name of names) {
		const field = fields[name];
		if (typeof field !== 'string' || field.trim() === '') return `${name} is required`;
		result[name] = field.trim();
	}
	return result;
}

export function requestCode(ex: Exchange, body: ParsedBody, state: EmulatorState): void {
	const fields = readFields(body, ['email']);
	if (typeof fields === 'string') return sendError(ex, invalidRequest(`Invalid request: ${fields}`));
	if (!state.users.findByEmail(fields.email)) {
		return sendError(ex, { status: 400, code: 'USER_NOT_FOUND', message: 'No Pine account uses this email' });
	}
	const requestToken = state.codes.issue(fields.email);
	sendJson(ex, 200, { status: 'success', data: { request_token: requestToken } });
}

export function verifyCode(ex: Exchange, body: ParsedBody, state: EmulatorState): void {
	const fields = readFields(body, ['email', 'request_token', 'code']);
	if (typeof fields === 'string') return sendError(ex, invalidRequest(`Invalid request: ${fields}`));
	const outcome = state.codes.verify(fields.email, fields.request_token, fields.code);
	if (outcome === 'invalid') {
		return sendError(ex, { status: 400, code: 'INVALID_CODE', message: 'The verification code or request_token is wrong' });
	}
	if (outcome === 'expired') {
		return sendError(ex, { status: 400, code: 'CODE_EXPIRED', message: 'The verification code expired; request a new one' });
	}
	const user = state.users.findByEmail(fields.email);
	if (!user) {
		return sendError(ex, { status: 400, code: 'USER_NOT_FOUND', message: 'No Pine account uses this email' });
	}
	const accessToken = state.users.mintToken(user.userId);
	sendJson(ex, 200, { status: 'success', data: { id: user.userId, access_token: accessToken, email: user.email } });
}
