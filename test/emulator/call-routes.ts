import { validateCallRequest } from './call-validation';
import { authenticateVoiceRequest } from './gateway-auth';
import { type Exchange, notFound, type ParsedBody, sendError, sendJson, sendJsonText } from './http-io';
import type { EmulatorState } from './state';
import { serveStream } from './stream';
import type { EmulatorUser } from './types';

export const VOICE_PREFIX = '/api/v2/voice/';
export const CREATE_CALL_PATH = '/api/v2/voice/call';
const CALL_PATH = /^\/api\/v2\/voice\/call\/([^/]+)(\/stream)?$/;
const MIN_CREDITS = 50;

function decodeCallId(encoded: string): string | undefined {
	try {
		return decodeURIComponent(encoded);
	} catch {
		return undefined;
	}
}

/** Every /api/v2/voice/ request: gateway auth first, then the route (unknown routes answer 404). */
export function routeVoice(ex: Exchange, body: ParsedBody, state: EmulatorState): void {
	const auth = authenticateVoiceRequest(ex.req, state.users);
	if (!auth.ok) return sendError(ex, auth.error);

	if (ex.path === CREATE_CALL_PATH && ex.method === 'POST') return placeCall(ex, body, auth.user, state);

	const match = CALL_PATH.exec(ex.path);
	if (!match || ex.method !== 'GET') return sendError(ex, notFound(`No route for ${ex.method} ${ex.path}`));
	const callId = decodeCallId(match[1]);
	const call = callId === undefined ? undefined : state.calls.find(auth.user.userId, callId);
	if (!call) return sendError(ex, notFound(`Call ${callId ?? match[1]} not found`));
	if (match[2]) return serveStream(ex, call, state);
	sendJsonText(ex, 200, state.calls.statusJson(call));
}

function placeCall(ex: Exchange, body: ParsedBody, user: EmulatorUser, state: EmulatorState): void {
	const validation = validateCallRequest(body);
	if (!validation.ok) return sendError(ex, validation.error);
	if (user.credits < MIN_CREDITS) {
		return sendError(ex, {
			status: 402,
			code: 'INSUFFICIENT_CREDITS',
			message: `A call requires at least ${MIN_CREDITS} credits, account has ${user.credits}`,
		});
	}
	const { maxConcurrentCalls, retryAfterSeconds, defaultDurationSeconds } = state.settings;
	if (state.calls.inProgress(user.userId) >= maxConcurrentCalls) {
		return sendError(ex, {
			status: 429,
			code: 'RATE_LIMITED',
			message: `Concurrent call limit reached: at most ${maxConcurrentCalls} calls in progress per user`,
			headers: { 'Retry-After': String(retryAfterSeconds) },
		});
	}

	const plan = state.scenarios.planFor(validation.call, defaultDurationSeconds);
	const call = state.calls.create(user.userId, validation.call, plan);
	state.stats.callCreated(user.userId, state.calls.inProgress(user.userId));
	if (state.faults.takeResetAfterPost()) {
		ex.req.socket.destroy();
		return;
	}
	sendJson(ex, 200, { call_id: call.info.callId, status: 'in_progress' });
}
