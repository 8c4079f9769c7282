import type { IncomingMessage } from 'node:http';
import type { ApiError } from './http-io';
import type { EmulatorUser } from './types';
import type { UserDirectory } from './users';

export type GatewayAuth = { ok: true; user: EmulatorUser } | { ok: false; error: ApiError };

export function bearerToken(req: IncomingMessage): string | undefined {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
	return match?.[1];
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function refuse(status: number, code: string, message: string): GatewayAuth {
	return { ok: false, error: { status, code, message } };
}

/** The checks every /api/v2/voice/ request passes, in the gateway's order. */
export function authenticateVoiceRequest(req: IncomingMessage, users: UserDirectory): GatewayAuth {
	const token = bearerToken(req);
	const userId = headerValue(req, 'x-pine-user-id')?.trim();
	if (!token || !userId) {
		return refuse(401, 'AUTH_REQUIRED', 'Missing Authorization: Bearer token or X-Pine-User-Id header');
	}
	if (users.ownerOf(token) !== userId) {
		return refuse(401, 'AUTH_REQUIRED', 'Invalid access token for this user');
	}
	if (users.isExpired(token)) {
		return refuse(401, 'TOKEN_EXPIRED', 'Access token expired; repeat the email verification flow');
	}
	const user = users.get(userId);
	if (!user) return refuse(401, 'AUTH_REQUIRED', 'Unknown user');
	if (!user.subscription) {
		return refuse(403, 'SUBSCRIPTION_REQUIRED', 'No active Pine subscription for this account');
	}
	return { ok: true, user };
}
