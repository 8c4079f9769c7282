/** The cross-process lock: abandoned locks do not block the registry, live ones are respected. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';

import { CallRegistry, RegistryError } from '../../nodes/shared/call-registry';
import { withFileLock } from '../../nodes/shared/registry/file-lock';
import { aCall } from './fixtures';
import { useTempDir } from './helpers';
import { runWorkersTogether, startWorker } from './worker-processes';

const tempDir = useTempDir();
const lockPath = () => join(tempDir(), 'registry.lock');
const PATIENT = { lockStaleMs: 60_000, lockTimeoutMs: 60_000 };

async function leaveLock(owner: Partial<{ pid: number; threadId: number; hostname: string; acquiredAt: number }>) {
	const full = { token: 'left-behind', pid: process.pid, threadId, hostname: hostname(), acquiredAt: Date.now(), ...owner };
	await writeFile(lockPath(), JSON.stringify(full));
}

async function deadPid(): Promise<number> {
	const child = spawn(process.execPath, ['-e', '']);
	await once(child, 'exit');
	return child.pid as number;
}

it('a lock left by a process that died is taken over at once', async () => {
	await leaveLock({ pid: await deadPid() });

	await new CallRegistry({ dir: tempDir(), ...PATIENT }).register(aCall());
}, 10_000);

it("four processes finding a dead process's lock at once take it over between them and lose nothing", async () => {
	const registry = new CallRegistry({ dir: tempDir() });
	await registry.pending('trigger', { pineUserId: 'user-1' });
	await leaveLock({ pid: await deadPid() });

	await runWorkersTogether('register', { dir: tempDir(), workers: 4, count: 50, compactAtBytes: 64 * 1024 });

	expect(await registry.pending('trigger', { pineUserId: 'user-1' })).toHaveLength(200);
	expect(await readdir(tempDir())).toEqual(['registry.log']);
}, 60_000);

it('a writer killed in the middle of its work leaves a registry that others keep using at once', async () => {
	const registry = new CallRegistry({ dir: tempDir(), ...PATIENT });
	await registry.pending('trigger', { pineUserId: 'user-1' });
	const doomed = startWorker('register', 0, { dir: tempDir(), count: 100_000, compactAtBytes: 16 * 1024 });
	await doomed.ready;
	doomed.go();
	await sleep(500);
	doomed.kill();
	await expect(doomed.result).rejects.toThrow('SIGKILL');

	const survivor = aCall();
	await registry.register(survivor);

	const pending = await registry.pending('trigger', { pineUserId: 'user-1' });
	expect(pending.length).toBeGreaterThan(1);
	expect(pending).toContainEqual(survivor);
}, 20_000);

it('a lock left by an earlier life of this process (same pid after a container restart) is taken over at once', async () => {
	await leaveLock({ pid: process.pid, threadId });

	await new CallRegistry({ dir: tempDir(), ...PATIENT }).register(aCall());
}, 10_000);

it('an empty lock file (its writer died mid-write) is taken over once older than the stale time', async () => {
	await writeFile(lockPath(), '');
	const longAgo = new Date(Date.now() - 120_000);
	await utimes(lockPath(), longAgo, longAgo);

	await new CallRegistry({ dir: tempDir(), ...PATIENT }).register(aCall());
}, 10_000);

it('a lock held past the stale time by another machine is taken over after that time', async () => {
	await leaveLock({ hostname: 'another-machine', pid: 4242 });
	const started = Date.now();

	await new CallRegistry({ dir: tempDir(), lockStaleMs: 300 }).register(aCall());

	expect(Date.now() - started).toBeGreaterThanOrEqual(250);
});

it('a live lock of another process on this machine makes the registry wait, then fail with REGISTRY_BUSY', async () => {
	await leaveLock({ pid: process.ppid });

	const attempt = new CallRegistry({ dir: tempDir(), lockStaleMs: 60_000, lockTimeoutMs: 300 }).register(aCall());

	await expect(attempt).rejects.toThrow(RegistryError);
	await expect(attempt).rejects.toMatchObject({ code: 'REGISTRY_BUSY', message: expect.stringContaining(`process ${process.ppid}`) });
	expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ token: 'left-behind' });
});

it('no lock is left behind after the registry has done its work', async () => {
	const registry = new CallRegistry({ dir: tempDir() });
	await registry.register(aCall());
	await registry.pending('trigger', { pineUserId: 'user-1' });

	await expect(readFile(lockPath())).rejects.toMatchObject({ code: 'ENOENT' });
});

it('a holder whose lock was taken over is stopped before it writes, and leaves the new lock alone', async () => {
	const checked = withFileLock(lockPath(), { staleMs: 100, timeoutMs: 1000 }, async (lock) => {
		await sleep(60);
		await leaveLock({ hostname: 'another-machine' });
		await lock.assertHeld();
	});

	await expect(checked).rejects.toMatchObject({ code: 'REGISTRY_LOCK_LOST' });
	expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ token: 'left-behind' });
});
