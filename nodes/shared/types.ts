export interface PineCredentials {
	accessToken: string;
	userId: string;
	gatewayUrl: string;
}

/** Body of POST /api/v2/voice/call, in the API's own field names. */
export interface CallRequest {
	/** E.164, e.g. +14155551234. */
	dialed_number: string;
	callee_name: string;
	callee_context: string;
	call_objective: string;
	detailed_instructions?: string;
	caller?: 'negotiator' | 'communicator';
	voice?: 'male' | 'female';
	/** 1 to 120; Pine's default is 120. */
	max_duration_minutes?: number;
	enable_summary?: boolean;
}

export interface CreatedCall {
	call_id: string;
	status: string;
}

export interface TranscriptTurn {
	/** `agent`, `user`, or another label Pine uses (system notices). */
	speaker: string;
	text: string;
}

/** A call as the nodes output it (GET, the stream's result event, the trigger). */
export interface CallResult {
	call_id: string;
	/** in_progress | completed | failed | cancelled, or the gateway's value when unknown. */
	status: string;
	/** What the gateway said, when it differs from `status`. */
	raw_status?: string;
	duration_seconds?: number;
	summary?: string;
	transcript: TranscriptTurn[];
	/** One line per turn, `speaker: text`. */
	transcript_text: string;
	credits_charged?: number;
}

export interface Logger {
	debug(message: string, meta?: Record<string, unknown>): void;
	warn(message: string, meta?: Record<string, unknown>): void;
}

/** What the client is doing, for callers and benchmarks that want to see which path was taken. */
export type ClientEvent =
	| { type: 'request'; method: string; path: string; status?: number; durationMs: number }
	| { type: 'retry'; method: string; path: string; attempt: number; delayMs: number; reason: string }
	| { type: 'stream-open'; callId: string }
	| { type: 'stream-retry'; callId: string; lastEventId?: string; reason: string }
	| { type: 'polling'; callId: string; reason: string };
