/*
 * The durable call registry: the calls Place Call placed (Pine has no list-calls endpoint, so
 * the Pine Voice Trigger can only watch calls recorded here), which of them each trigger has
 * been handed, and Place Call's dedupe keys. Workflow static data cannot do this job: a poller
 * keeps the copy it loaded at activation, and every save replaces the whole object.
 *
 * Storage: one append-only JSON Lines log, `registry.log`, in the registry directory, and a
 * cross-process lock file, `registry.lock` (registry/file-lock.ts). Every operation, reads
 * included, holds the lock: it reads what other processes appended since this instance last
 * looked, decides, and appends its records, fsynced before the promise resolves. Holding the
 * lock for reads too keeps one simple rule: memory equals the log up to a known offset.
 *
 * Bound: once the log is larger than both `compactAtBytes` and twice its live content, it is
 * rewritten from memory (temp file, fsync, rename, under the same lock). That drops calls and
 * consumers unseen for `retentionMs`, dedupe keys past their window, calls no consumer is still
 * owed (but the latest RECENT_CALLS_KEPT per workflow, for `recent()`), and delivery marks of
 * dropped calls. So the log stays under max(compactAtBytes, 2 x what the last rewrite kept) plus
 * one operation's records: with the defaults and a trigger that keeps up, under 128 KiB. Lines that
 * do not parse as records (a write torn by a crash, garbage) are skipped, and gone after the
 * next rewrite.
 *
 * Only Node built-ins: n8n installs community packages with scripts off, so no native modules.
 */
import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';

import { withFileLock, type FileLockOptions, type HeldLock } from './registry/file-lock';
import { unlessFailsWith } from './registry/fs-errors';
import { Journal } from './registry/journal';
import { callRecord, isValidCall, type RegistryRecord } from './registry/records';
import { RegistryState } from './registry/registry-state';
import { sameScope, type ClaimResult, type ConsumerScope, type RegisteredCall } from './registry/types';

export { RegistryError, type RegistryErrorCode } from './registry/errors';
export type { ClaimResult, ConsumerScope, RegisteredCall } from './registry/types';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
export const DEFAULT_RETENTION_MS = 7 * DAY_MS;
export const DEFAULT_COMPACT_AT_BYTES = 64 * 1024;
/** Calls kept per workflow after every consumer has had them, so `recent()` is exact up to this limit. */
export const RECENT_CALLS_KEPT = 20;

const LOG_FILE = 'registry.log';
const LOCK_FILE = 'registry.lock';

export interface CallRegistryOptions {
	/** Default: `defaultRegistryDir()`. */
	dir?: string;
	/** How long calls and idle consumers are kept. Default 7 days. (Dedupe keys live for their own window.) */
	retentionMs?: number;
	/** The log is compacted once larger than this (and than twice its live content). Default 64 KiB. */
	compactAtBytes?: number;
	/** The registry's clock (epoch ms), for tests. The lock always uses the real clock. */
	now?: () => number;
	/** A lock held longer than this is taken over. Default 30 s. */
	lockStaleMs?: number;
	/** Waiting longer than this for the lock fails with REGISTRY_BUSY. Default 60 s. */
	lockTimeoutMs?: number;
}

/** `PINE_VOICE_REGISTRY_DIR`, else `$N8N_USER_FOLDER/.n8n/pine-voice`, else `~/.n8n/pine-voice`. */
export function defaultRegistryDir(env: NodeJS.ProcessEnv = process.env): string {
	const override = env.PINE_VOICE_REGISTRY_DIR?.trim();
	if (override) return resolve(override);
	const userFolder = env.N8N_USER_FOLDER?.trim() || homedir();
	return resolve(userFolder, '.n8n', 'pine-voice');
}

interface Transaction {
	now: number;
	state: RegistryState;
	/** Makes the records durable, then applies them to `state`. */
	write(records: RegistryRecord[]): Promise<void>;
}

export class CallRegistry {
	readonly dir: string;
	private readonly retentionMs: number;
	private readonly compactAtBytes: number;
	private readonly now: () => number;
	private readonly lockOptions: FileLockOptions;
	private readonly journal: Journal;
	private readonly state: RegistryState;
	/** Live content at the last compaction: compacting again before the log doubles it would be churn. */
	private liveBytes = 0;

	constructor(options: CallRegistryOptions = {}) {
		this.dir = resolve(options.dir ?? defaultRegistryDir());
		this.retentionMs = positive(options.retentionMs ?? DEFAULT_RETENTION_MS, 'retentionMs');
		this.compactAtBytes = positive(options.compactAtBytes ?? DEFAULT_COMPACT_AT_BYTES, 'compactAtBytes');
		this.now = options.now ?? Date.now;
		this.lockOptions = {
			staleMs: positive(options.lockStaleMs ?? 30_000, 'lockStaleMs'),
			timeoutMs: positive(options.lockTimeoutMs ?? 60_000, 'lockTimeoutMs'),
		};
		this.journal = new Journal(join(this.dir, LOG_FILE));
		this.state = new RegistryState(this.retentionMs);
	}

	async register(call: RegisteredCall): Promise<void> {
		if (!isValidCall(call)) {
			throw new TypeError('A registered call needs a callId, a pineUserId, a valid placedAt date and string fields');
		}
		const record = callRecord(call);
		await this.transaction(async (tx) => {
			const known = tx.state.call(call.callId);
			if (known && JSON.stringify(callRecord(known)) === JSON.stringify(record)) return;
			await tx.write([record]);
		});
	}

	/**
	 * Calls in scope, placed at/after the consumer first appeared (its first pending() creates it
	 * with since = now, durably), not yet delivered to it. Oldest first.
	 */
	async pending(consumerId: string, scope: ConsumerScope): Promise<RegisteredCall[]> {
		const cleanScope = checkScope(scope);
		return await this.transaction(async (tx) => {
			const consumer = tx.state.consumer(consumerId);
			const changed = !consumer || !sameScope(consumer.scope, cleanScope);
			if (changed || tx.now - consumer.seenAt >= this.seenRefreshMs) {
				const since = consumer?.since ?? tx.now;
				await tx.write([{ type: 'consumer', consumerId, since, seenAt: tx.now, scope: cleanScope }]);
			}
			return tx.state.pendingFor(consumerId);
		});
	}

	/**
	 * The latest calls in scope, delivered or not, newest first (for n8n's "Fetch Test Event").
	 * Consumes nothing, creates no consumer.
	 */
	async recent(scope: ConsumerScope, limit: number): Promise<RegisteredCall[]> {
		const cleanScope = checkScope(scope);
		return await this.transaction(async (tx) => tx.state.recent(cleanScope, limit));
	}

	/** A consumer that never called pending(), and ids of calls the registry does not hold, are ignored. */
	async markDelivered(consumerId: string, callIds: string[]): Promise<void> {
		await this.transaction(async (tx) => {
			const consumer = tx.state.consumer(consumerId);
			if (!consumer) return;
			const fresh = unique(callIds).filter((id) => tx.state.call(id) && !consumer.delivered.has(id));
			if (fresh.length > 0) await tx.write([{ type: 'delivered', consumerId, callIds: fresh }]);
		});
	}

	/** Drop watched calls for everyone (e.g. Pine answered 404 for them). */
	async forget(callIds: string[]): Promise<void> {
		await this.transaction(async (tx) => {
			const known = unique(callIds).filter((id) => tx.state.call(id));
			if (known.length > 0) await tx.write([{ type: 'forget', callIds: known }]);
		});
	}

	/**
	 * Atomically: a placed call for the key inside `windowMs` → 'placed'; an unconfirmed intent
	 * inside `windowMs` → 'unconfirmed'; else records a new intent and returns 'claimed'. Of two
	 * concurrent claims of one key, exactly one gets 'claimed'. Keep one key's window constant:
	 * an entry is dropped once older than the window it was recorded with.
	 */
	async claimKey(key: string, windowMs: number): Promise<ClaimResult> {
		positive(windowMs, 'windowMs');
		return await this.transaction(async (tx): Promise<ClaimResult> => {
			const entry = tx.state.key(key);
			if (entry?.state === 'placed' && tx.now - entry.placedAt < windowMs) {
				return { state: 'placed', callId: entry.callId, placedAt: iso(entry.placedAt) };
			}
			if (entry?.state === 'intent' && tx.now - entry.startedAt < windowMs) {
				return { state: 'unconfirmed', startedAt: iso(entry.startedAt) };
			}
			const owner = `${hostname()}/${process.pid}/${randomUUID()}`;
			await tx.write([{ type: 'intent', key, owner, startedAt: tx.now, windowMs }]);
			return { state: 'claimed' };
		});
	}

	/** Intent → placed. Without an intent (released or expired meanwhile) it is recorded anyway, for `retentionMs`. */
	async confirmKey(key: string, callId: string): Promise<void> {
		await this.transaction(async (tx) => {
			const windowMs = tx.state.key(key)?.windowMs ?? this.retentionMs;
			await tx.write([{ type: 'placed', key, callId, placedAt: tx.now, windowMs }]);
		});
	}

	/** Forget the key (after the user checked with Pine); true if it existed. */
	async releaseKey(key: string): Promise<boolean> {
		return await this.transaction(async (tx) => {
			if (!tx.state.key(key)) return false;
			await tx.write([{ type: 'release', key }]);
			return true;
		});
	}

	/** Bytes of the files in the registry directory, for tests and benchmarks. */
	async sizeOnDisk(): Promise<number> {
		const names = (await unlessFailsWith(readdir(this.dir), 'ENOENT')) ?? [];
		const sizes = await Promise.all(
			names.map(async (name) => {
				const info = await stat(join(this.dir, name)).catch(() => undefined);
				return info?.isFile() ? info.size : 0;
			}),
		);
		return sizes.reduce((sum, size) => sum + size, 0);
	}

	/** How often a polling consumer's "still here" is written: well within `retentionMs`, rarely enough to keep the log small. */
	private get seenRefreshMs(): number {
		return Math.min(HOUR_MS, this.retentionMs / 10);
	}

	private async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
		return await withFileLock(join(this.dir, LOCK_FILE), this.lockOptions, async (lock) => {
			await this.catchUp();
			const now = this.now();
			this.state.expire(now);
			const write = async (records: RegistryRecord[]) => await this.commit(lock, records);
			const tx: Transaction = { now, state: this.state, write };
			const result = await work(tx);
			await this.compactIfLarge(lock);
			return result;
		});
	}

	private async catchUp(): Promise<void> {
		const { reset, records } = await this.journal.readNew();
		if (reset) this.state.reset();
		for (const record of records) this.state.apply(record);
	}

	private async commit(lock: HeldLock, records: RegistryRecord[]): Promise<void> {
		await lock.assertHeld();
		let written = false;
		try {
			if (this.journal.appendable) {
				await this.journal.append(records);
				for (const record of records) this.state.apply(record);
			} else {
				for (const record of records) this.state.apply(record);
				this.liveBytes = await this.journal.rewrite(this.state.toRecords());
			}
			written = true;
		} finally {
			// Memory may now differ from the file: reread it all next time.
			if (!written) this.journal.invalidate();
		}
	}

	private async compactIfLarge(lock: HeldLock): Promise<void> {
		if (this.journal.sizeBytes <= Math.max(this.compactAtBytes, 2 * this.liveBytes)) return;
		try {
			await lock.assertHeld();
			this.state.compact(RECENT_CALLS_KEPT);
			this.liveBytes = await this.journal.rewrite(this.state.toRecords());
		} catch {
			// The operation itself is already durable; compaction is retried by the next one. Memory
			// may have dropped what the file still holds, so reread it.
			this.journal.invalidate();
		}
	}
}

function checkScope(scope: ConsumerScope): ConsumerScope {
	if (typeof scope?.pineUserId !== 'string' || scope.pineUserId === '') {
		throw new TypeError('A consumer scope needs a pineUserId');
	}
	return scope.workflowId === undefined
		? { pineUserId: scope.pineUserId }
		: { pineUserId: scope.pineUserId, workflowId: String(scope.workflowId) };
}

function positive(value: number, name: string): number {
	if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
	return value;
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}
