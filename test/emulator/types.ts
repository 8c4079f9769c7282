/**
 * The public contract of the Pine API emulator: what tests, the demo and benchmarks may rely on.
 * The emulator is a real HTTP server (node:http) that follows ../../../shared/reference.
 */

export interface EmulatorUser {
	email: string;
	userId: string;
	/** Access token accepted as `Authorization: Bearer <token>`. */
	token: string;
	credits: number;
	/** false: every voice request answers 403 SUBSCRIPTION_REQUIRED. */
	subscription: boolean;
}

export interface EmulatorOptions {
	/** 0 picks a free port. The server binds 127.0.0.1 only. */
	port?: number;
	/** Real milliseconds one simulated call minute lasts (default 10: a ten-minute call takes 100 ms). */
	msPerMinute?: number;
	/** Real milliseconds between SSE heartbeat comments (default 50). */
	heartbeatMs?: number;
	/** Value of the Retry-After header on 429, in seconds; fractions allowed for tests (default 1). */
	retryAfterSeconds?: number;
	/** Concurrent in-progress calls allowed per user (default 5). */
	maxConcurrentCalls?: number;
	/** Default simulated call duration in seconds when a number has no script (default 180, capped by max_duration_minutes). */
	defaultDurationSeconds?: number;
	/** Users besides the seeded DEMO_USER. */
	users?: EmulatorUser[];
}

/** How a dialed number behaves; set with controls.scriptNumber. */
export interface CallScript {
	rawStatus?: string;
	durationSeconds?: number;
	/** Approximate size of the transcript in bytes (many turns); default a short 4-turn transcript. */
	transcriptBytes?: number;
}

export interface FaultPlan {
	/** The next N streams close the connection before sending the result (after one heartbeat). */
	dropStreams?: number;
	/** The next N streams send nothing at all (no heartbeat, no result) and stay open until the call ends + 1 s. */
	silentStreams?: number;
	/** The next N POST /voice/call requests create the call, then destroy the socket without answering. */
	resetAfterPost?: number;
	/** The next N requests (any endpoint, or only those matching `path` substring / `method`) answer 500 with a JSON error body. */
	error500?: { count: number; method?: string; path?: string };
	/** The next N requests answer 502 with an HTML (non-JSON) body. */
	nonJson502?: { count: number; method?: string; path?: string };
	/** The next N requests are answered only after `delayMs`. */
	slow?: { count: number; delayMs: number; method?: string; path?: string };
}

export interface RequestRecord {
	method: string;
	path: string;
	at: number;
	/** Whether a bearer token was present (the token itself is never recorded). */
	authorized: boolean;
	userId?: string;
	lastEventId?: string;
	userAgent?: string;
	/** Parsed JSON body of POSTs. */
	body?: unknown;
	status?: number;
}

export interface EmulatorStats {
	postsReceived: number;
	callsCreated: number;
	/** Highest number of simultaneously in-progress calls seen, per user id. */
	maxConcurrency: Record<string, number>;
	requests: RequestRecord[];
	/** When (Date.now()) each call reached its terminal state. */
	completions: Record<string, number>;
}

export interface EmulatorCall {
	callId: string;
	userId: string;
	request: Record<string, unknown>;
	createdAt: number;
	endsAt: number;
	rawStatus: string;
	durationSeconds: number;
	terminal: boolean;
}

export interface EmulatorControls {
	stats(): EmulatorStats;
	resetStats(): void;
	faults(plan: FaultPlan): void;
	clearFaults(): void;
	scriptNumber(e164: string, script: CallScript): void;
	addUser(user: EmulatorUser): void;
	setCredits(userId: string, credits: number): void;
	/** Makes the token answer 401 TOKEN_EXPIRED from now on. */
	expireToken(token: string): void;
	/** The current verification code sent to that email (the emulator's "inbox"). */
	lastCode(email: string): string | undefined;
	/** Makes all outstanding verification codes expire. */
	expireCodes(): void;
	calls(): EmulatorCall[];
	/** Number of in-progress calls of a user right now. */
	inProgress(userId: string): number;
	/** Number of SSE streams the emulator holds open right now (added: lets tests see a client closed its stream). */
	openStreams?(): number;
	/** A user's credit balance now, after charges (added: lets tests check billing); undefined for an unknown user. */
	credits?(userId: string): number | undefined;
}

export interface RunningEmulator {
	/** Base URL, e.g. http://127.0.0.1:43210 : serves both the auth API and the voice gateway. */
	url: string;
	port: number;
	controls: EmulatorControls;
	stop(): Promise<void>;
}

/** Seeded account present in every emulator. Not a real secret. */
export const DEMO_USER: EmulatorUser = {
	email: 'demo@example.com',
	userId: 'user-demo-0001',
	token: 'emulator-demo-token',
	credits: 1_000_000,
	subscription: true,
};
