import type { ConsumerScope, RegisteredCall } from './types';

/**
 * One line of the registry log. Replaying the lines in order rebuilds the registry; a later line
 * wins over an earlier one. Times are epoch milliseconds, except a call's own `placedAt` (ISO).
 */
export type RegistryRecord =
	| CallRecord
	| { type: 'forget'; callIds: string[] }
	/** A consumer appeared or was seen again; a different `since` means a new consumer under an old id. */
	| { type: 'consumer'; consumerId: string; since: number; seenAt: number; scope: ConsumerScope }
	| { type: 'delivered'; consumerId: string; callIds: string[] }
	| { type: 'intent'; key: string; owner: string; startedAt: number; windowMs: number }
	| { type: 'placed'; key: string; callId: string; placedAt: number; windowMs: number }
	| { type: 'release'; key: string };

export type CallRecord = { type: 'call' } & RegisteredCall;

const CALL_FIELDS = ['callId', 'pineUserId', 'workflowId', 'nodeName', 'placedAt', 'calleeName', 'dialedNumber'] as const;

/** Only the known fields, so nothing else a caller put on the object (a token, say) is ever written. */
export function callRecord(call: RegisteredCall): CallRecord {
	const record = { type: 'call' } as CallRecord;
	for (const field of CALL_FIELDS) record[field] = call[field];
	return record;
}

export function callOf(record: CallRecord): RegisteredCall {
	const call = {} as RegisteredCall;
	for (const field of CALL_FIELDS) call[field] = record[field];
	return call;
}

export function isValidCall(call: unknown): call is RegisteredCall {
	if (!isObject(call)) return false;
	if (!CALL_FIELDS.every((field) => typeof call[field] === 'string')) return false;
	return call.callId !== '' && call.pineUserId !== '' && Number.isFinite(Date.parse(call.placedAt as string));
}

export function encodeRecord(record: RegistryRecord): string {
	return JSON.stringify(record);
}

/** The record on one line, or undefined for anything that is not a well-formed record (torn write, garbage). */
export function parseRecord(line: string): RegistryRecord | undefined {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return undefined;
	}
	return isObject(value) && isValidRecord(value) ? (value as RegistryRecord) : undefined;
}

function isValidRecord(value: Record<string, unknown>): boolean {
	switch (value.type) {
		case 'call':
			return isValidCall(value);
		case 'forget':
			return isStringArray(value.callIds);
		case 'consumer':
			return (
				isString(value.consumerId) && isTime(value.since) && isTime(value.seenAt) && isValidScope(value.scope)
			);
		case 'delivered':
			return isString(value.consumerId) && isStringArray(value.callIds);
		case 'intent':
			return isString(value.key) && isString(value.owner) && isTime(value.startedAt) && isTime(value.windowMs);
		case 'placed':
			return isString(value.key) && isString(value.callId) && isTime(value.placedAt) && isTime(value.windowMs);
		case 'release':
			return isString(value.key);
		default:
			return false;
	}
}

function isValidScope(value: unknown): value is ConsumerScope {
	return (
		isObject(value) &&
		isString(value.pineUserId) &&
		(value.workflowId === undefined || isString(value.workflowId))
	);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
	return typeof value === 'string';
}

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every(isString);
}

function isTime(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
