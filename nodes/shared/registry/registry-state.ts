import { callOf, type RegistryRecord } from './records';
import { inScope, type ConsumerScope, type RegisteredCall } from './types';

interface StoredCall {
	call: RegisteredCall;
	placedAtMs: number;
}

export interface Consumer {
	/** Calls placed before this were never meant for the consumer. */
	since: number;
	seenAt: number;
	scope: ConsumerScope;
	delivered: Set<string>;
}

export type DedupeKey =
	| { state: 'intent'; owner: string; startedAt: number; windowMs: number }
	| { state: 'placed'; callId: string; placedAt: number; windowMs: number };

/** The registry in memory: what replaying the log gives, plus the rules for what is visible and what may go. */
export class RegistryState {
	private readonly calls = new Map<string, StoredCall>();
	private readonly consumers = new Map<string, Consumer>();
	private readonly keys = new Map<string, DedupeKey>();

	constructor(private readonly retentionMs: number) {}

	reset(): void {
		this.calls.clear();
		this.consumers.clear();
		this.keys.clear();
	}

	apply(record: RegistryRecord): void {
		switch (record.type) {
			case 'call': {
				const call = callOf(record);
				this.calls.set(call.callId, { call, placedAtMs: Date.parse(call.placedAt) });
				break;
			}
			case 'forget':
				for (const callId of record.callIds) {
					this.calls.delete(callId);
					for (const consumer of this.consumers.values()) consumer.delivered.delete(callId);
				}
				break;
			case 'consumer': {
				const existing = this.consumers.get(record.consumerId);
				const delivered = existing?.since === record.since ? existing.delivered : new Set<string>();
				this.consumers.set(record.consumerId, {
					since: record.since,
					seenAt: record.seenAt,
					scope: record.scope,
					delivered,
				});
				break;
			}
			case 'delivered': {
				const consumer = this.consumers.get(record.consumerId);
				for (const callId of record.callIds) consumer?.delivered.add(callId);
				break;
			}
			case 'intent':
				this.keys.set(record.key, {
					state: 'intent',
					owner: record.owner,
					startedAt: record.startedAt,
					windowMs: record.windowMs,
				});
				break;
			case 'placed':
				this.keys.set(record.key, {
					state: 'placed',
					callId: record.callId,
					placedAt: record.placedAt,
					windowMs: record.windowMs,
				});
				break;
			case 'release':
				this.keys.delete(record.key);
				break;
		}
	}

	/** Drops what has outlived its time, so what callers see never depends on when the log was last compacted. */
	expire(now: number): void {
		for (const [callId, stored] of this.calls) {
			if (now - stored.placedAtMs >= this.retentionMs) this.calls.delete(callId);
		}
		for (const [consumerId, consumer] of this.consumers) {
			if (now - consumer.seenAt >= this.retentionMs) this.consumers.delete(consumerId);
		}
		for (const [key, entry] of this.keys) {
			if (now - keyTime(entry) >= entry.windowMs) this.keys.delete(key);
		}
	}

	/**
	 * Drops calls that no consumer is still owed, except the `keepRecent` latest of each workflow
	 * (so `recent()` stays exact up to that limit), and delivery marks of calls that are gone.
	 */
	compact(keepRecent: number): void {
		const recent = this.latestPerWorkflow(keepRecent);
		for (const [callId, stored] of this.calls) {
			if (!recent.has(callId) && !this.isOwedToAnyone(stored)) this.calls.delete(callId);
		}
		for (const consumer of this.consumers.values()) {
			for (const callId of consumer.delivered) if (!this.calls.has(callId)) consumer.delivered.delete(callId);
		}
	}

	/** The records that rebuild this state from nothing. */
	toRecords(): RegistryRecord[] {
		const records: RegistryRecord[] = [];
		for (const [consumerId, { since, seenAt, scope, delivered }] of this.consumers) {
			records.push({ type: 'consumer', consumerId, since, seenAt, scope });
			if (delivered.size > 0) records.push({ type: 'delivered', consumerId, callIds: [...delivered] });
		}
		for (const { call } of this.calls.values()) records.push({ type: 'call', ...call });
		for (const [key, entry] of this.keys) {
			records.push(
				entry.state === 'intent'
					? { type: 'intent', key, owner: entry.owner, startedAt: entry.startedAt, windowMs: entry.windowMs }
					: { type: 'placed', key, callId: entry.callId, placedAt: entry.placedAt, windowMs: entry.windowMs },
			);
		}
		return records;
	}

	call(callId: string): RegisteredCall | undefined {
		return this.calls.get(callId)?.call;
	}

	consumer(consumerId: string): Consumer | undefined {
		return this.consumers.get(consumerId);
	}

	key(key: string): DedupeKey | undefined {
		return this.keys.get(key);
	}

	/** Oldest first. */
	pendingFor(consumerId: string): RegisteredCall[] {
		const consumer = this.consumers.get(consumerId);
		if (!consumer) return [];
		const owed = [...this.calls.values()].filter((stored) => isOwedTo(consumer, stored));
		return byPlacedAt(owed).map(({ call }) => ({ ...call }));
	}

	/** Newest first. */
	recent(scope: ConsumerScope, limit: number): RegisteredCall[] {
		const matching = [...this.calls.values()].filter(({ call }) => inScope(call, scope));
		return byPlacedAt(matching)
			.reverse()
			.slice(0, Math.max(0, limit))
			.map(({ call }) => ({ ...call }));
	}

	private isOwedToAnyone(stored: StoredCall): boolean {
		for (const consumer of this.consumers.values()) if (isOwedTo(consumer, stored)) return true;
		return false;
	}

	private latestPerWorkflow(count: number): Set<string> {
		const groups = new Map<string, StoredCall[]>();
		for (const stored of this.calls.values()) {
			const group = `${stored.call.pineUserId}\u0000${stored.call.workflowId}`;
			const members = groups.get(group) ?? [];
			members.push(stored);
			groups.set(group, members);
		}
		const kept = new Set<string>();
		for (const members of groups.values()) {
			for (const { call } of byPlacedAt(members).slice(-count)) kept.add(call.callId);
		}
		return kept;
	}
}

function isOwedTo(consumer: Consumer, { call, placedAtMs }: StoredCall): boolean {
	return placedAtMs >= consumer.since && inScope(call, consumer.scope) && !consumer.delivered.has(call.callId);
}

/** Stable, so calls placed in the same millisecond keep the order they were registered in. */
function byPlacedAt(calls: StoredCall[]): StoredCall[] {
	return [...calls].sort((a, b) => a.placedAtMs - b.placedAtMs);
}

function keyTime(entry: DedupeKey): number {
	return entry.state === 'intent' ? entry.startedAt : entry.placedAt;
}
