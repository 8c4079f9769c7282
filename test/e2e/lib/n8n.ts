/**
 * A real n8n (installed by scripts/e2e/install-n8n.sh, run under Node 24) with a user folder of
 * its own: CLI commands (import, execute, publish) and `n8n start` as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { cleanEnv, freePort, run, stopChild, tail, trackChild, waitFor, type RunResult } from './process';

export interface N8nInstall {
	/** Folder holding node_modules/n8n (the cache folder printed by install-n8n.sh). */
	n8nDir: string;
	/** The Node 24 binary n8n runs on. */
	nodeBin: string;
}

/** Where install-n8n.sh put n8n; from N8N_E2E_DIR and N8N_E2E_NODE (set by scripts/e2e/run.sh). */
export function n8nInstallFromEnv(): N8nInstall {
	const n8nDir = process.env.N8N_E2E_DIR;
	const nodeBin = process.env.N8N_E2E_NODE;
	if (!n8nDir || !nodeBin) {
		throw new Error('N8N_E2E_DIR and N8N_E2E_NODE are not set: run the suite with `npm run test:e2e`');
	}
	if (!existsSync(join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'))) throw new Error(`no n8n in ${n8nDir}`);
	if (!existsSync(nodeBin)) throw new Error(`no node binary at ${nodeBin}`);
	return { n8nDir, nodeBin };
}

/** One IRun as `n8n execute --rawOutput` prints it (only what the tests read). */
export interface ExecutionRun {
	finished?: boolean;
	status?: string;
	data: {
		resultData: {
			error?: { message?: string; description?: string };
			lastNodeExecuted?: string;
			runData: Record<
				string,
				Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: unknown }>
			>;
		};
	};
}

export interface ExecuteResult extends RunResult {
	run?: ExecutionRun;
	/**
	 * The exit code, or what it would have been when n8n crashed while exiting (see execute()).
	 * null when n8n died before it finished the run.
	 */
	exitCode: number | null;
	/** Set when n8n crashed (SIGSEGV) after it had printed the whole result. */
	crashedAtExit?: boolean;
}

/** JSON items a node put on its first main output in its last run. */
export function nodeOutput(run: ExecutionRun, nodeName: string): Array<Record<string, unknown>> {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs?.length) throw new Error(`node "${nodeName}" did not run`);
	return (runs[runs.length - 1].data?.main?.[0] ?? []).map((item) => item.json);
}

/** The pretty-printed JSON object that `--rawOutput` prints after n8n's own log lines. */
export function parseRawOutput(stdout: string): ExecutionRun | undefined {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start < 0 || end < start) return undefined;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n')) as ExecutionRun;
	} catch {
		return undefined;
	}
}

export interface N8nOptions {
	/** The user folder (N8N_USER_FOLDER); n8n keeps its database, settings and nodes in `<it>/.n8n`. */
	userFolder: string;
	/** Allowed folder for the Read/Write Files node (N8N_RESTRICT_FILE_ACCESS_TO). */
	filesDir: string;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	/** Port of the editor for `start` (default: a free one). */
	port?: number;
	/** The instance's encryption key (default: a new random one). */
	encryptionKey?: string;
}

export class N8n {
	readonly encryptionKey: string;

	private brokerPort = 0;

	private server?: ChildProcess;

	private serverLog = '';

	/** Every line n8n printed, for load-error checks and failure reports. */
	readonly transcript: string[] = [];

	port = 0;

	constructor(
		readonly install: N8nInstall,
		readonly options: N8nOptions,
	) {
		this.encryptionKey = options.encryptionKey ?? randomBytes(24).toString('hex');
	}

	async init(): Promise<void> {
		this.brokerPort = await freePort();
		this.port = this.options.port ?? (await freePort());
		mkdirSync(this.options.userFolder, { recursive: true });
		mkdirSync(this.options.filesDir, { recursive: true });
	}

	env(): NodeJS.ProcessEnv {
		return cleanEnv({
			PATH: `${join(this.install.nodeBin, '..')}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.options.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: 'localhost',
			N8N_RESTRICT_FILE_ACCESS_TO: this.options.filesDir,
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			// Loopback traffic to the emulator never goes through a proxy.
			NO_PROXY: ['127.0.0.1', 'localhost', process.env.NO_PROXY].filter(Boolean).join(','),
			no_proxy: ['127.0.0.1', 'localhost', process.env.no_proxy].filter(Boolean).join(','),
			...this.options.env,
		});
	}

	private get n8nBin(): string {
		return join(this.install.n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
	}

	/** Runs `n8n <args>` under Node 24 to its end (bounded). */
	async cli(args: string[], timeoutMs = 120_000): Promise<RunResult> {
		const result = await run(this.install.nodeBin, [this.n8nBin, ...args], {
			cwd: this.options.userFolder,
			env: this.env(),
			timeoutMs,
		});
		this.transcript.push(`$ n8n ${args.join(' ')} (exit ${result.code}, ${result.ms} ms)`, result.stdout, result.stderr);
		return result;
	}

	private async cliOk(args: string[], timeoutMs?: number): Promise<RunResult> {
		const result = await this.cli(args, timeoutMs);
		if (result.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} exited ${result.code}:\n${tail(result.stdout)}\n${tail(result.stderr)}`);
		}
		return result;
	}

	/** Writes `data` to a temp file in the user folder, runs `n8n <command> --input F`, deletes F. */
	private async importJson(command: string, data: unknown): Promise<RunResult> {
		const file = join(this.options.userFolder, `import-${randomBytes(6).toString('hex')}.json`);
		writeFileSync(file, JSON.stringify(data), { mode: 0o600 });
		try {
			return await this.cliOk([command, `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	/** Imports credentials; plain `data` objects are encrypted on import. */
	async importCredentials(credentials: unknown[]): Promise<RunResult> {
		return await this.importJson('import:credentials', credentials);
	}

	async importWorkflow(workflow: unknown): Promise<RunResult> {
		return await this.importJson('import:workflow', workflow);
	}

	/** Imports several workflows with one n8n process (`--separate`: one file each in a temp folder). */
	async importWorkflows(workflows: Array<{ id: string }>): Promise<RunResult> {
		const dir = join(this.options.userFolder, `import-${randomBytes(6).toString('hex')}`);
		mkdirSync(dir, { mode: 0o700 });
		try {
			for (const workflow of workflows) writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow));
			return await this.cliOk(['import:workflow', '--separate', `--input=${dir}`]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}

	/** How often `n8n execute` crashed while exiting, after a complete result. */
	exitCrashes = 0;

	/**
	 * `n8n execute --id ID --rawOutput`: exit 1 on a failed run; stdout carries log lines too.
	 *
	 * n8n 2.41.1 on Node 24 sometimes dies of SIGSEGV in process.exit(), after the run was stored
	 * and printed (about 1 run in 10 here, also for workflows without any Pine node, and not with
	 * N8N_EXPRESSION_ENGINE=legacy: the isolated-vm expression engine's teardown). Such a run is
	 * judged by the result n8n printed, and counted in exitCrashes.
	 */
	async execute(workflowId: string, timeoutMs = 120_000): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
		const run = parseRawOutput(result.stdout);
		if (result.signal === 'SIGSEGV') {
			const failed = result.stdout.includes('Execution was NOT successful');
			const exitCode = run?.finished && run.status === 'success' ? 0 : failed || run ? 1 : null;
			if (exitCode !== null) this.exitCrashes++;
			return { ...result, run, exitCode, crashedAtExit: exitCode !== null };
		}
		return { ...result, run, exitCode: result.code };
	}

	/** Starts `n8n start` and waits until /healthz/readiness answers 200. */
	async start({
		timeoutMs = 90_000,
		logLevel = 'info',
		onOutput,
	}: { timeoutMs?: number; logLevel?: string; onOutput?: (text: string) => void } = {}): Promise<void> {
		if (this.server) throw new Error('n8n is already running');
		const child = spawn(this.install.nodeBin, [this.n8nBin, 'start'], {
			cwd: this.options.userFolder,
			env: { ...this.env(), N8N_LOG_LEVEL: logLevel },
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		trackChild(child);
		this.server = child;
		this.serverLog = '';
		const collect = (chunk: Buffer) => {
			const text = chunk.toString();
			onOutput?.(text);
			this.serverLog += text;
			// A long-running server keeps its last few megabytes.
			if (this.serverLog.length > 8_000_000) this.serverLog = this.serverLog.slice(-4_000_000);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		await waitFor(
			'n8n start to be ready',
			async () => {
				if (child.exitCode !== null) {
					throw new Error(`n8n start exited ${child.exitCode}:\n${tail(this.serverLog)}`);
				}
				try {
					const response = await fetch(`${this.url}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
					return response.status === 200;
				} catch {
					return false;
				}
			},
			{ timeoutMs, everyMs: 500 },
		);
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get log(): string {
		return this.serverLog;
	}

	/** Resolves when `n8n start` exits by itself (not through stop()). */
	async exited(): Promise<number | null> {
		const child = this.server;
		if (!child) return null;
		if (child.exitCode !== null) return child.exitCode;
		return await new Promise((resolve) => child.once('exit', (code) => resolve(code)));
	}

	/** Stops `n8n start` (SIGTERM, then SIGKILL) and waits for it. */
	async stop(): Promise<void> {
		const child = this.server;
		if (!child) return;
		this.server = undefined;
		await stopChild(child, 15_000);
		this.transcript.push('$ n8n start (stopped)', this.serverLog);
	}

	/** Everything n8n printed so far, including a running server's log. */
	allOutput(): string {
		return [...this.transcript, this.server ? this.serverLog : ''].join('\n');
	}
}
