/*
 * Child of measures/memory.ts: one Rows -> Pine Voice (Place & Wait) workflow through n8n-core
 * over the numbers the parent scripted, with memory watched from a GC'd start. A small warm-up run
 * first, so that code n8n-core and the package load on their first execution is not counted.
 * argv: <emulator url> <block> <count> <warm-up block> <warm-up count>
 */
import '../lib/setup-env';

import { performance } from 'node:perf_hooks';

import { toParent } from '../lib/child';
import { collectGarbage, watchMemory } from '../lib/memory';
import { benchNumber, runPineWorkflow } from '../lib/pine';

// Bounded: if the parent goes away, so does this process.
process.on('disconnect', () => process.exit(1));

async function main(): Promise<void> {
	const [url, block, count, warmupBlock, warmupCount] = [process.argv[2], ...process.argv.slice(3, 7).map(Number)] as [string, number, number, number, number];
	const numbers = (from: number, length: number) => Array.from({ length }, (_, index) => benchNumber(from, index));
	await runPineWorkflow({ url }, numbers(warmupBlock, warmupCount), { operation: 'placeAndWait' });

	const phones = numbers(block, count);
	collectGarbage();
	const memory = watchMemory();
	const started = performance.now();
	const items = await runPineWorkflow({ url }, phones, { operation: 'placeAndWait' });
	const runMs = performance.now() - started;
	const peak = memory.stop();
	const outputBytes = Buffer.byteLength(JSON.stringify(items.map((item) => item.json)));
	toParent({ type: 'result', runMs, items: items.length, outputBytes, ...peak });
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
