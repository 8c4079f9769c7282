/**
 * The fault matrix: every emulator fault against every operation, each cell with the outcome the
 * design promises. Rows are faults, columns are operations; `fault-matrix.test.ts` runs them.
 *
 * By design: a POST is repeated only after 429 RATE_LIMITED or a connection that failed before
 * anything was sent; any other POST failure is CALL_STATE_UNKNOWN (the call may exist); GETs and
 * the stream retry with backoff; a broken stream is reconnected once, then polling takes over.
 */
import type { RunningEmulator } from '../emulator/types';

export type Operation = 'placeCall' | 'getCall' | 'placeAndWait' | 'triggerPoll';

export const OPERATIONS: Record<Operation, string> = {
	placeCall: 'Place Call',
	getCall: 'Get Call',
	placeAndWait: 'Place & Wait',
	triggerPoll: "Trigger's poll",
};

export interface FaultContext {
	emulator: RunningEmulator;
	/** Makes another client of the same account hold all 5 call slots for a while. */
	fillCallSlots(): Promise<void>;
}

export interface Fault {
	id: string;
	name: string;
	/** Applied after the cell's setup (e.g. the call Get Call reads), right before the operation runs. */
	inject?(context: FaultContext): Promise<void> | void;
	/** The operation runs with a token that Pine says has expired. */
	expiredToken?: boolean;
	/** The operation's gateway URL points at a port nothing listens on. */
	unreachable?: boolean;
}

export interface Expected {
	/** One item with the call's data (Place & Wait: the final result), or the trigger emitting the call once. */
	result?: true;
	/** The Pine code of the failure: an error item under Continue On Fail, or the error the poll throws. */
	error?: string;
	message?: RegExp;
	hint?: RegExp;
	/** The error item names the call (it was placed, so Get Call can read it later). */
	callId?: boolean;
	/** POSTs the emulator received; `rateLimited`: 429s first, then exactly one 200. */
	posts: number | 'rateLimited';
	calls: number;
	streams?: number;
	gets?: number | [number, number];
	/** Tries the client made, counted from its retry warnings (for faults the emulator cannot see). */
	attempts?: number;
	/** Place & Wait's wait timeout for this cell, in minutes (default 0.1). */
	waitMinutes?: number;
}

const slowly = { count: 1000, delayMs: 100 };

export const FAULTS: Fault[] = [
	{ id: 'drop1', name: 'dropped stream (once)', inject: ({ emulator }) => emulator.controls.faults({ dropStreams: 1 }) },
	{ id: 'drop2', name: 'dropped stream (twice)', inject: ({ emulator }) => emulator.controls.faults({ dropStreams: 2 }) },
	{ id: 'silent1', name: 'silent stream (once)', inject: ({ emulator }) => emulator.controls.faults({ silentStreams: 1 }) },
	{ id: 'silent2', name: 'silent stream (twice)', inject: ({ emulator }) => emulator.controls.faults({ silentStreams: 2 }) },
	{ id: 'reset', name: 'connection reset after the POST was received', inject: ({ emulator }) => emulator.controls.faults({ resetAfterPost: 1 }) },
	{ id: '500x2', name: '500 burst (next 2 requests)', inject: ({ emulator }) => emulator.controls.faults({ error500: { count: 2 } }) },
	{ id: '500x3get', name: '500 burst on reads (next 3 GETs)', inject: ({ emulator }) => emulator.controls.faults({ error500: { count: 3, method: 'GET' } }) },
	{ id: '500outage', name: '500 outage on reads (every GET)', inject: ({ emulator }) => emulator.controls.faults({ error500: { count: 100_000, method: 'GET' } }) },
	{ id: '502x2', name: 'non-JSON 502 burst (next 2 requests)', inject: ({ emulator }) => emulator.controls.faults({ nonJson502: { count: 2 } }) },
	{ id: '502x3get', name: 'non-JSON 502 burst on reads (next 3 GETs)', inject: ({ emulator }) => emulator.controls.faults({ nonJson502: { count: 3, method: 'GET' } }) },
	{ id: 'slow', name: 'slow answers (every answer +100 ms)', inject: ({ emulator }) => emulator.controls.faults({ slow: slowly }) },
	{ id: 'expired', name: 'expired token', expiredToken: true },
	{ id: 'rateLimited', name: 'rate limit (5 calls of another client in progress)', inject: ({ fillCallSlots }) => fillCallSlots() },
	{ id: 'unreachable', name: 'gateway unreachable (connection refused, nothing sent)', unreachable: true },
];

const placed = { result: true, posts: 1, calls: 1 } as const;
const unaffectedRead = { result: true, posts: 0, calls: 0, streams: 0, gets: 1 } as const;
const waited = { result: true, posts: 1, calls: 1 } as const;
const emitted = { result: true, posts: 0, calls: 0, streams: 0, gets: 1 } as const;

const stateUnknown = (message?: RegExp): Expected => ({
	error: 'CALL_STATE_UNKNOWN',
	message: message ?? /Pine did not confirm the call/,
	hint: /may have been placed.*twice/,
	posts: 1,
	calls: 0,
	streams: 0,
});
const tokenExpired: Expected = { error: 'TOKEN_EXPIRED', message: /expired/i, hint: /Pine Voice Auth/, posts: 0, calls: 0 };
const serverError: Expected = { error: 'SERVER_ERROR', message: /HTTP 500/, hint: /temporary problem/, posts: 0, calls: 0, gets: 4 };
const networkError: Expected = {
	error: 'NETWORK_ERROR',
	message: /Could not get an answer from Pine at http:\/\/127\.0\.0\.1:\d+/,
	hint: /Gateway URL/,
	posts: 0,
	calls: 0,
	attempts: 4,
};
/** Get Call's errors name the call it asked for. */
const forCall = (expected: Expected): Expected => ({ ...expected, callId: true });

/** The expected outcome of every cell: EXPECTED[fault id][operation]. */
export const EXPECTED: Record<string, Record<Operation, Expected>> = {
	drop1: {
		placeCall: { ...placed, streams: 0 },
		getCall: unaffectedRead,
		placeAndWait: { ...waited, streams: 2, gets: 0 },
		triggerPoll: emitted,
	},
	drop2: {
		placeCall: { ...placed, streams: 0 },
		getCall: unaffectedRead,
		placeAndWait: { ...waited, streams: 2, gets: [1, 3] },
		triggerPoll: emitted,
	},
	silent1: {
		placeCall: { ...placed, streams: 0 },
		getCall: unaffectedRead,
		placeAndWait: { ...waited, streams: 2, gets: 0 },
		triggerPoll: emitted,
	},
	silent2: {
		placeCall: { ...placed, streams: 0 },
		getCall: unaffectedRead,
		placeAndWait: { ...waited, streams: 2, gets: [1, 3] },
		triggerPoll: emitted,
	},
	reset: {
		placeCall: { ...stateUnknown(), calls: 1 },
		getCall: unaffectedRead,
		placeAndWait: { ...stateUnknown(), calls: 1 },
		triggerPoll: emitted,
	},
	'500x2': {
		placeCall: stateUnknown(/HTTP 500/),
		getCall: { ...unaffectedRead, gets: 3 },
		placeAndWait: stateUnknown(/HTTP 500/),
		triggerPoll: { ...emitted, gets: 3 },
	},
	'500x3get': {
		placeCall: { ...placed, gets: 0 },
		getCall: { ...unaffectedRead, gets: 4 },
		placeAndWait: { ...waited, streams: 2, gets: [2, 3] },
		triggerPoll: { ...emitted, gets: 4 },
	},
	'500outage': {
		placeCall: { ...placed, gets: 0 },
		getCall: forCall(serverError),
		placeAndWait: { error: 'WAIT_TIMEOUT', message: /Stopped waiting for call/, hint: /Get Call/, callId: true, posts: 1, calls: 1, streams: 2, gets: [1, 100], waitMinutes: 0.04 },
		triggerPoll: serverError,
	},
	'502x2': {
		placeCall: stateUnknown(/HTTP 502 with a non-JSON body/),
		getCall: { ...unaffectedRead, gets: 3 },
		placeAndWait: stateUnknown(/HTTP 502 with a non-JSON body/),
		triggerPoll: { ...emitted, gets: 3 },
	},
	'502x3get': {
		placeCall: { ...placed, gets: 0 },
		getCall: { ...unaffectedRead, gets: 4 },
		placeAndWait: { ...waited, streams: 2, gets: [2, 3] },
		triggerPoll: { ...emitted, gets: 4 },
	},
	slow: {
		placeCall: placed,
		getCall: unaffectedRead,
		placeAndWait: { ...waited, streams: 1, gets: 0 },
		triggerPoll: emitted,
	},
	expired: {
		placeCall: { ...tokenExpired, posts: 1 },
		getCall: forCall({ ...tokenExpired, gets: 1 }),
		placeAndWait: { ...tokenExpired, posts: 1, streams: 0 },
		triggerPoll: { ...tokenExpired, gets: 1 },
	},
	rateLimited: {
		placeCall: { result: true, posts: 'rateLimited', calls: 1 },
		getCall: unaffectedRead,
		placeAndWait: { result: true, posts: 'rateLimited', calls: 1, streams: 1 },
		triggerPoll: emitted,
	},
	unreachable: {
		placeCall: networkError,
		getCall: forCall(networkError),
		placeAndWait: networkError,
		triggerPoll: networkError,
	},
};

export function describeExpected(expected: Expected): string {
	const parts: string[] = [];
	if (expected.result) parts.push('result once');
	if (expected.error) parts.push(`error ${expected.error}${expected.callId ? ' naming the call' : ''}`);
	parts.push(expected.posts === 'rateLimited' ? 'POST repeated after 429 until one 200' : `${expected.posts} POST`);
	parts.push(`${expected.calls} call${expected.calls === 1 ? '' : 's'} created`);
	if (expected.streams !== undefined) parts.push(`${expected.streams} stream${expected.streams === 1 ? '' : 's'}`);
	if (expected.gets !== undefined) parts.push(`${Array.isArray(expected.gets) ? expected.gets.join('-') : expected.gets} GET`);
	if (expected.attempts !== undefined) parts.push(`${expected.attempts} tries`);
	return parts.join(' · ');
}
