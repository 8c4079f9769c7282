import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';

import { RegistryError } from './errors';
import { failureCode, hasErrorCode, unlessFailsWith } from './fs-errors';
import { inTurn } from './in-process-queue';

/*
 * A cross-process lock: a file created with O_EXCL (atomic on every platform), holding who owns
 * it: token, pid, thread, host and the time it was taken. Meant for processes on one machine.
 *
 * A lock is taken over when it is older than `staleMs` (registry work holds it for
 * milliseconds), or at once when its owner is gone: a dead pid on this host, or this very
 * process and thread under a pid it inherited from an earlier life (containers restart n8n
 * under the same pid). Taking over renames the lock file aside, then checks it moved the very
 * lock it judged (token, inode, mtime); if a live lock slipped in between, it is handed back.
 * Nobody judges a live owner's lock stale before `staleMs`, so a holder checks it still holds
 * the lock (`assertHeld`, before each write) only once half of that has passed.
 * Waiting retries with jittered backoff and gives up after `timeoutMs`.
 */

export interface FileLockOptions {
	/** A lock held longer than this is presumed abandoned. */
	staleMs: number;
	/** Waiting for the lock longer than this fails with REGISTRY_BUSY. */
	timeoutMs: number;
}

export interface HeldLock {
	/** Throws REGISTRY_LOCK_LOST when someone has taken the lock over. */
	assertHeld(): Promise<void>;
}

interface Owner {
	token: string;
	pid: number;
	threadId: number;
	hostname: string;
	acquiredAt: number;
}

interface SeenLock {
	owner?: Owner;
	ino: number;
	mtimeMs: number;
}

const MAX_BACKOFF_MS = 25;

/** Tokens of the locks this thread holds or is trying to take. */
const ownTokens = new Set<string>();

export async function withFileLock<T>(
	lockPath: string,
	options: FileLockOptions,
	work: (lock: HeldLock) => Promise<T>,
): Promise<T> {
	const path = resolve(lockPath);
	return await inTurn(path, async () => {
		const owner = await acquire(path, options);
		const mayBeLost = () => Date.now() - owner.acquiredAt >= options.staleMs / 2;
		try {
			return await work({
				assertHeld: async () => {
					if (mayBeLost()) await assertHeld(path, owner.token);
				},
			});
		} finally {
			await release(path, owner.token, mayBeLost());
		}
	});
}

async function acquire(path: string, { staleMs, timeoutMs }: FileLockOptions): Promise<Owner> {
	const token = randomUUID();
	const deadline = Date.now() + timeoutMs;
	ownTokens.add(token);
	let acquired = false;
	try {
		for (let attempt = 0; ; attempt++) {
			const owner: Owner = { token, pid: process.pid, threadId, hostname: hostname(), acquiredAt: Date.now() };
			if (await tryCreate(path, owner)) {
				acquired = true;
				return owner;
			}
			const removed = await removeIfStale(path, staleMs);
			if (Date.now() >= deadline) throw await busyError(path, timeoutMs);
			if (!removed) await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attempt));
		}
	} finally {
		if (!acquired) ownTokens.delete(token);
	}
}

async function tryCreate(path: string, owner: Owner): Promise<boolean> {
	const failure = await failureCode(
		writeFile(path, JSON.stringify(owner), { flag: 'wx', mode: 0o600 }),
		'EEXIST',
		'ENOENT',
	);
	if (failure !== 'ENOENT') return failure === undefined;
	await mkdir(dirname(path), { recursive: true, mode: 0o700 });
	return await tryCreate(path, owner);
}

/** True when the lock is gone (we removed it, or someone else did): worth trying again at once. */
async function removeIfStale(path: string, staleMs: number): Promise<boolean> {
	const seen = await inspect(path);
	if (!seen) return true;
	if (!isStale(seen, staleMs)) return false;
	const aside = `${path}.stale-${randomUUID()}`;
	if (await failureCode(rename(path, aside), 'ENOENT')) return true;
	const moved = await inspect(aside);
	if (moved && !sameLock(moved, seen)) {
		// Not the lock we judged: a live one replaced it meanwhile. Hand it back with link(), which,
		// unlike rename(), never replaces a lock created since; if that fails, the holder learns
		// at its next assertHeld().
		await link(aside, path).catch(() => undefined);
	}
	await unlink(aside).catch(() => undefined);
	return true;
}

async function inspect(path: string): Promise<SeenLock | undefined> {
	const info = await unlessFailsWith(stat(path), 'ENOENT');
	return info && { owner: await readOwner(path), ino: info.ino, mtimeMs: info.mtimeMs };
}

function sameLock(a: SeenLock, b: SeenLock): boolean {
	return a.owner?.token === b.owner?.token && a.ino === b.ino && a.mtimeMs === b.mtimeMs;
}

function isStale({ owner, mtimeMs }: SeenLock, staleMs: number): boolean {
	// Without a readable owner the lock is being written this instant, or its writer died doing so.
	if (Date.now() - (owner?.acquiredAt ?? mtimeMs) > staleMs) return true;
	if (!owner || owner.hostname !== hostname()) return false;
	if (owner.pid === process.pid) return owner.threadId === threadId && !ownTokens.has(owner.token);
	return !isProcessAlive(owner.pid);
}

function isProcessAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to another user.
		return hasErrorCode(error, 'EPERM');
	}
}

async function assertHeld(path: string, token: string): Promise<void> {
	const owner = await readOwner(path);
	if (owner?.token !== token) {
		throw new RegistryError(
			'REGISTRY_LOCK_LOST',
			`Lost the lock on the Pine Voice call registry (${path}) to another process`,
		);
	}
}

async function release(path: string, token: string, mayBeLost: boolean): Promise<void> {
	try {
		if (mayBeLost && (await readOwner(path))?.token !== token) return; // taken over: not ours to remove
		await unlink(path);
	} catch {
		// The work is done and durable; a lock we failed to remove is taken over once stale.
	} finally {
		ownTokens.delete(token);
	}
}

async function readOwner(path: string): Promise<Owner | undefined> {
	const text = await unlessFailsWith(readFile(path, 'utf8'), 'ENOENT');
	if (text === undefined) return undefined;
	try {
		const owner = JSON.parse(text) as Partial<Owner>;
		const valid =
			typeof owner.token === 'string' &&
			typeof owner.pid === 'number' &&
			typeof owner.threadId === 'number' &&
			typeof owner.hostname === 'string' &&
			typeof owner.acquiredAt === 'number';
		return valid ? (owner as Owner) : undefined;
	} catch {
		return undefined; // empty or half-written: treated as unsigned
	}
}

async function busyError(path: string, timeoutMs: number): Promise<RegistryError> {
	const owner = await readOwner(path).catch(() => undefined);
	const holder = owner
		? ` by process ${owner.pid} on ${owner.hostname} since ${new Date(owner.acquiredAt).toISOString()}`
		: '';
	return new RegistryError(
		'REGISTRY_BUSY',
		`The Pine Voice call registry (${path}) has been locked${holder}; gave up after ${Math.round(timeoutMs / 1000)} s`,
	);
}
