/** Child processes with bounded waits, free loopback ports, and temporary folders. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface RunOptions extends SpawnOptions {
	timeoutMs: number;
	/** Text written to stdin, which is then closed. */
	input?: string;
}

/** Children started detached (own process group): killed when this process exits, however it exits. */
const liveChildren = new Set<ChildProcess>();
let exitHooksInstalled = false;
let handleSignals = true;

/** For a program with its own SIGINT/SIGTERM handling: tracked children are then only killed on exit. */
export function leaveSignalsToCaller(): void {
	handleSignals = false;
}

export function trackChild(child: ChildProcess): void {
	liveChildren.add(child);
	child.once('exit', () => liveChildren.delete(child));
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	process.once('exit', () => {
		for (const live of liveChildren) killGroup(live, 'SIGKILL');
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			if (!handleSignals) return;
			for (const live of liveChildren) killGroup(live, 'SIGTERM');
			process.exit(signal === 'SIGINT' ? 130 : 143);
		});
	}
}

/** Runs a command to its end, or kills its whole process group after `timeoutMs`. */
export async function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
	const started = Date.now();
	const child = spawn(command, args, { ...options, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
	trackChild(child);
	let stdout = '';
	let stderr = '';
	child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	child.stdin?.end(options.input ?? '');
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child, 'SIGKILL');
	}, options.timeoutMs);
	try {
		const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
			child.once('error', reject);
			child.once('close', (c, s) => resolve([c, s]));
		});
		if (timedOut) {
			throw new Error(
				`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms\n${tail(stdout)}\n${tail(stderr)}`,
			);
		}
		return { code, signal, stdout, stderr, ms: Date.now() - started };
	} finally {
		clearTimeout(timer);
	}
}

/** Signals a child started with `detached: true` and everything it started. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

/** Stops a detached child: SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killGroup(child, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	// Grandchildren (n8n's task runner) may outlive their parent for a moment.
	killGroup(child, 'SIGKILL');
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** This process's environment without what an outer `npm run` or a test runner added. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(key) || key === 'NODE_OPTIONS' || key === 'INIT_CWD' || key === 'TS_NODE_TRANSPILE_ONLY') continue;
		env[key] = value;
	}
	return { ...env, ...extra };
}

export function makeTempDir(prefix: string): string {
	return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
	rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

export function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

export async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `everyMs` until it answers something truthy, or throws after `timeoutMs`. */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
	{ timeoutMs, everyMs = 250 }: { timeoutMs: number; everyMs?: number },
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(everyMs);
	}
}
