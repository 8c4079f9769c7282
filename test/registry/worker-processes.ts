import { spawn } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');
const WORKER = join(__dirname, 'registry-worker.ts');

export interface WorkerOptions {
	dir: string;
	count: number;
	compactAtBytes: number;
}

export interface WorkerResult {
	worker: string;
	claimed: string[];
	/** From the start signal to the last write. */
	elapsedMs: number;
}

export interface RunningWorker {
	/** Resolves once the worker has loaded and waits for `go()`. */
	ready: Promise<void>;
	go(): void;
	/** What it printed; rejects if it failed or was killed. */
	result: Promise<WorkerResult>;
	kill(): void;
}

/** Starts a process running registry-worker.ts (see there for the modes). */
export function startWorker(mode: 'register' | 'claim', worker: number, options: WorkerOptions): RunningWorker {
	const args = [mode, options.dir, String(worker), String(options.count), String(options.compactAtBytes)];
	const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', WORKER, ...args], { cwd: REPO_ROOT });
	let stdout = '';
	let stderr = '';
	let markReady!: () => void;
	const ready = new Promise<void>((resolve) => (markReady = resolve));
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		if (stdout.startsWith('ready\n')) markReady();
	});
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	child.stdin.on('error', () => undefined); // a worker that died early: its exit code tells the story
	const result = new Promise<WorkerResult>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => {
			markReady(); // never leave the caller waiting on a worker that died while loading
			if (code !== 0) {
				reject(new Error(`registry worker ended with ${signal ?? code}: ${stderr}`));
				return;
			}
			resolve(JSON.parse(stdout.slice('ready\n'.length)) as WorkerResult);
		});
	});
	return { ready, go: () => child.stdin.write('go\n'), result, kill: () => child.kill('SIGKILL') };
}

/** Starts `workers` processes, waits until each has loaded, releases them all at once and returns what each printed. */
export async function runWorkersTogether(
	mode: 'register' | 'claim',
	options: WorkerOptions & { workers: number },
): Promise<WorkerResult[]> {
	const workers = Array.from({ length: options.workers }, (_, index) => startWorker(mode, index, options));
	await Promise.all(workers.map((worker) => worker.ready));
	for (const worker of workers) worker.go();
	return await Promise.all(workers.map((worker) => worker.result));
}
