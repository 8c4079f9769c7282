import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp directory per test, removed afterwards. Call at the top of a test file. */
export function useTempDir(): () => string {
	let dir: string | undefined;
	beforeEach(async () => {
		dir = await mkdtemp(join(tmpdir(), 'pine-voice-registry-'));
	});
	afterEach(async () => {
		if (dir) await rm(dir, { recursive: true, force: true });
		dir = undefined;
	});
	return () => {
		if (!dir) throw new Error('useTempDir: only inside a test');
		return dir;
	};
}

export const logPath = (dir: string): string => join(dir, 'registry.log');

/** Everything in the registry directory, as one string, to search for what must (not) be there. */
export async function everythingOnDisk(dir: string): Promise<string> {
	const names = await readdir(dir);
	const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8').catch(() => '')));
	return texts.join('\n');
}

export function ids(calls: Array<{ callId: string }>): string[] {
	return calls.map((call) => call.callId);
}
