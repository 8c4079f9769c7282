/**
 * Runs a Pine emulator until SIGINT/SIGTERM:
 *   npx ts-node --transpile-only test/emulator/cli.ts [--port N] [--ms-per-minute N] [--heartbeat-ms N]
 */
import { start } from './server';
import { DEMO_USER, type EmulatorOptions } from './types';

const FLAGS: Record<string, keyof EmulatorOptions> = {
	'--port': 'port',
	'--ms-per-minute': 'msPerMinute',
	'--heartbeat-ms': 'heartbeatMs',
};
const USAGE = 'usage: cli.ts [--port N] [--ms-per-minute N] [--heartbeat-ms N]';

function parseArgs(args: string[]): EmulatorOptions {
	const options: Record<string, number> = {};
	for (let i = 0; i < args.length; i += 2) {
		const option = FLAGS[args[i]];
		const value = Number(args[i + 1]);
		if (!option || args[i + 1] === undefined || !Number.isFinite(value) || value < 0) {
			throw new Error(`bad argument ${args[i]} ${args[i + 1] ?? ''}\n${USAGE}`);
		}
		options[option] = value;
	}
	return options as EmulatorOptions;
}

async function main(): Promise<void> {
	const emulator = await start(parseArgs(process.argv.slice(2)));
	console.log(`Pine emulator listening on ${emulator.url}`);
	console.log(`Demo user email:   ${DEMO_USER.email}`);
	console.log(`Demo user id:      ${DEMO_USER.userId}`);
	console.log(`Demo user token:   ${DEMO_USER.token}`);
	const stop = (): void => {
		// A stuck handle must not keep a stopped emulator alive; unref'd, this timer does not either.
		setTimeout(() => process.exit(0), 2000).unref();
		void emulator.stop();
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(2);
});
