/**
 * `npm run n8n`: a local n8n editor (http://localhost:5678) with this package installed the way
 * n8n installs community packages, a Pine emulator, a demo credential pointing at it, and the
 * example workflows. Ctrl-C stops both. Started by scripts/e2e/n8n.sh (installs n8n, builds).
 *
 *   N8N_PORT                       editor port (default 5678)
 *   PINE_VOICE_EMULATOR_PORT       emulator port (default 5690)
 *   PINE_VOICE_EMULATOR_MS_PER_MINUTE  real ms per simulated call minute (default 1000: a 3-minute call lasts 3 s)
 *   PINE_VOICE_DEV_FOLDER          n8n user folder, kept between runs (default <cache>/dev)
 *   PINE_VOICE_DEV_RESET=1         start from an empty user folder
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { start } from '../../test/emulator/server';
import { DEMO_USER, type RunningEmulator } from '../../test/emulator/types';
import { EXAMPLES_DIR, exampleFiles, forInstance, loadExample, PINE_CREDENTIAL_TYPE } from '../../test/e2e/lib/examples';
import { packAndInstall } from '../../test/e2e/lib/install-package';
import { N8n, n8nInstallFromEnv } from '../../test/e2e/lib/n8n';
import { leaveSignalsToCaller, removeDir } from '../../test/e2e/lib/process';

const CREDENTIAL = { id: 'pineVoiceDemo001', name: 'Pine Voice (emulator demo)' };

function numberFromEnv(name: string, fallback: number): number {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
	return value;
}

/** The key n8n stored in the user folder on an earlier run, so that saved credentials stay readable. */
function storedEncryptionKey(userFolder: string): string | undefined {
	const config = join(userFolder, '.n8n', 'config');
	if (!existsSync(config)) return undefined;
	return (JSON.parse(readFileSync(config, 'utf8')) as { encryptionKey?: string }).encryptionKey;
}

async function main(): Promise<void> {
	leaveSignalsToCaller();
	const install = n8nInstallFromEnv();
	const cache = process.env.PINE_VOICE_E2E_CACHE ?? join(process.env.HOME ?? '/tmp', '.cache', 'n8n-nodes-pine-voice');
	const userFolder = process.env.PINE_VOICE_DEV_FOLDER ?? join(cache, 'dev');
	if (process.env.PINE_VOICE_DEV_RESET === '1') removeDir(userFolder);
	const filesDir = join(userFolder, 'files');
	mkdirSync(filesDir, { recursive: true });
	if (!existsSync(join(filesDir, 'calls.csv'))) copyFileSync(join(EXAMPLES_DIR, 'calls.csv'), join(filesDir, 'calls.csv'));

	const emulatorPort = numberFromEnv('PINE_VOICE_EMULATOR_PORT', 5690);
	let emulator: RunningEmulator;
	try {
		emulator = await start({
			port: emulatorPort,
			msPerMinute: numberFromEnv('PINE_VOICE_EMULATOR_MS_PER_MINUTE', 1000),
			heartbeatMs: 1000,
		});
	} catch (error) {
		throw new Error(`the Pine emulator cannot listen on port ${emulatorPort} (set PINE_VOICE_EMULATOR_PORT): ${String(error)}`);
	}

	const n8n = new N8n(install, {
		userFolder,
		filesDir,
		port: numberFromEnv('N8N_PORT', 5678),
		encryptionKey: storedEncryptionKey(userFolder),
		env: {
			N8N_SECURE_COOKIE: 'false',
			N8N_LISTEN_ADDRESS: process.env.N8N_LISTEN_ADDRESS ?? '127.0.0.1',
			N8N_LOG_LEVEL: 'info',
		},
	});
	let stopping = false;
	// A terminal's Ctrl-C reaches this process twice (directly and through npm): stop once.
	const stop = async (code: number): Promise<void> => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the Pine emulator...');
		await n8n.stop();
		await emulator.stop();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	process.on('SIGHUP', () => void stop(0));

	await n8n.init();
	const installed = await packAndInstall(userFolder);
	console.log(`Installed ${installed.tarball} into ${installed.directory} (${installed.dependencies.join(', ')})`);

	// The emulator's seeded demo account is fake: its token opens nothing but the emulator.
	await n8n.importCredentials([
		{
			...CREDENTIAL,
			type: PINE_CREDENTIAL_TYPE,
			data: { accessToken: DEMO_USER.token, userId: DEMO_USER.userId, gatewayUrl: emulator.url },
		},
	]);
	const marker = join(userFolder, '.examples-imported');
	if (!existsSync(marker)) {
		const workflows = exampleFiles().map((file) =>
			forInstance(loadExample(file), { filesDir, credential: CREDENTIAL, authUrl: emulator.url, email: DEMO_USER.email }),
		);
		await n8n.importWorkflows(workflows);
		writeFileSync(marker, `${new Date().toISOString()}\n`);
		console.log(`Imported ${workflows.length} example workflows`);
	}

	console.log('Starting n8n...');
	await n8n.start({ onOutput: (text) => process.stdout.write(text) });

	// The emulator's "inbox": print each sign-in code so the Sign in example can be finished.
	let lastCode: string | undefined;
	setInterval(() => {
		const code = emulator.controls.lastCode(DEMO_USER.email);
		if (code && code !== lastCode) {
			lastCode = code;
			console.log(`\n[Pine emulator] sign-in code for ${DEMO_USER.email}: ${code}\n`);
		}
	}, 500).unref();

	console.log(`
n8n editor:      http://localhost:${n8n.port}   (first visit: create the owner account)
Pine emulator:   ${emulator.url}   (calls end by the last 4 digits of the number: 0101 HungupByPeer, 0102 NoAnswer, ...)
Credential:      "${CREDENTIAL.name}" (demo account ${DEMO_USER.email}, points at the emulator)
Workflows:       the examples/ workflows; their files live in ${filesDir}
User folder:     ${userFolder}   (kept between runs; PINE_VOICE_DEV_RESET=1 starts afresh)
Press Ctrl-C to stop n8n and the emulator.
`);
	const code = await n8n.exited();
	if (!stopping) {
		console.error(`n8n exited by itself (code ${code})`);
		await stop(code ?? 1);
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
