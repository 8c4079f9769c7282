/**
 * A separate process working one registry, for the multi-process tests. Prints "ready", waits
 * for a line on stdin (so that all workers start together), works, prints one JSON line, exits.
 *
 *   register <dir> <worker> <count> <compactAtBytes>  registers <count> calls, five at a time
 *   claim    <dir> <worker> <count> <compactAtBytes>  claims keys row-0 … row-<count-1>
 */
import { once } from 'node:events';

import { CallRegistry } from '../../nodes/shared/call-registry';
import { aCall, HOUR_MS } from './fixtures';

const IN_FLIGHT = 5;

async function main(): Promise<void> {
	const [mode, dir, worker, countText, compactAtBytes] = process.argv.slice(2);
	const count = Number(countText);
	const registry = new CallRegistry({ dir, compactAtBytes: Number(compactAtBytes) });
	process.stdout.write('ready\n');
	await once(process.stdin, 'data');

	const started = Date.now();
	const claimed: string[] = [];
	await inBatches(count, async (index) => {
		if (mode === 'register') {
			await registry.register(aCall({ callId: `worker-${worker}-call-${index}`, workflowId: `workflow-${worker}` }));
		} else {
			const key = `row-${index}`;
			if ((await registry.claimKey(key, HOUR_MS)).state === 'claimed') claimed.push(key);
		}
	});
	process.stdout.write(`${JSON.stringify({ worker, claimed, elapsedMs: Date.now() - started })}\n`);
	process.stdin.destroy();
}

async function inBatches(count: number, work: (index: number) => Promise<void>): Promise<void> {
	for (let start = 0; start < count; start += IN_FLIGHT) {
		const batch = Array.from({ length: Math.min(IN_FLIGHT, count - start) }, (_, offset) => work(start + offset));
		await Promise.all(batch);
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
