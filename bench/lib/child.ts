/*
 * Bench child processes: a fresh Node process running a TypeScript file through ts-node, talking
 * over IPC. Memory is measured there, away from the emulator and the parent's own heap.
 */
import { fork, type ChildProcess } from 'node:child_process';

export interface ChildOptions {
	args?: string[];
	env?: Record<string, string>;
	/** The child is killed (by its pid) if it is still running after this long. */
	timeoutMs: number;
}

export interface ChildMessage {
	type: string;
	[key: string]: unknown;
}

export interface BenchChild {
	/** Resolves with the next message of this type; rejects if the child exits first. */
	next<T extends ChildMessage>(type: string): Promise<T>;
	send(message: ChildMessage): void;
	/** Resolves with the exit code once the child has exited. */
	exited: Promise<number | null>;
}

export function forkTs(script: string, options: ChildOptions): BenchChild {
	const child: ChildProcess = fork(script, options.args ?? [], {
		execArgv: ['-r', 'ts-node/register/transpile-only', '--expose-gc'],
		env: { ...process.env, TS_NODE_PREFER_TS_EXTS: 'true', ...options.env },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const queue: ChildMessage[] = [];
	const waiters: Array<{ type: string; resolve: (message: ChildMessage) => void; reject: (error: Error) => void }> = [];
	let exitError: Error | undefined;

	const killer = setTimeout(() => {
		exitError = new Error(`${script} timed out after ${options.timeoutMs} ms`);
		child.kill('SIGKILL');
	}, options.timeoutMs);

	child.on('message', (raw) => {
		const message = raw as ChildMessage;
		const index = waiters.findIndex((waiter) => waiter.type === message.type);
		if (index === -1) queue.push(message);
		else waiters.splice(index, 1)[0].resolve(message);
	});
	const exited = new Promise<number | null>((resolve) => {
		child.on('exit', (code) => {
			clearTimeout(killer);
			exitError ??= new Error(`${script} exited with code ${code} before answering`);
			for (const waiter of waiters.splice(0)) waiter.reject(exitError);
			resolve(code);
		});
	});

	return {
		next<T extends ChildMessage>(type: string): Promise<T> {
			const index = queue.findIndex((message) => message.type === type);
			if (index !== -1) return Promise.resolve(queue.splice(index, 1)[0] as T);
			if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(exitError);
			return new Promise<T>((resolve, reject) => waiters.push({ type, resolve: resolve as (m: ChildMessage) => void, reject }));
		},
		send(message) {
			child.send(message);
		},
		exited,
	};
}

/** In a child: send a message to the parent. */
export function toParent(message: ChildMessage): void {
	process.send?.(message);
}

/** In a child: resolves with the parent's next message of this type. */
export function fromParent<T extends ChildMessage>(type: string): Promise<T> {
	return new Promise((resolve) => {
		const listener = (raw: unknown) => {
			const message = raw as ChildMessage;
			if (message.type !== type) return;
			process.off('message', listener);
			resolve(message as T);
		};
		process.on('message', listener);
	});
}
