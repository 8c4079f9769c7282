/** Many writers at once, in one process or several: nothing is lost, no key is claimed twice. */
import { CallRegistry } from '../../nodes/shared/call-registry';
import { aCall, HOUR_MS } from './fixtures';
import { useTempDir } from './helpers';
import { runWorkersTogether } from './worker-processes';

const tempDir = useTempDir();
const everyWorkflow = { pineUserId: 'user-1' };
/** Small, so the log is compacted many times while the writers race. */
const SMALL_LOG = 16 * 1024;

it('several registries in one process registering at once lose nothing', async () => {
	const registries = Array.from({ length: 5 }, () => new CallRegistry({ dir: tempDir(), compactAtBytes: SMALL_LOG }));
	await registries[0].pending('trigger', everyWorkflow);

	const calls = Array.from({ length: 500 }, () => aCall());
	await Promise.all(calls.map((call, index) => registries[index % registries.length].register(call)));

	const pending = await new CallRegistry({ dir: tempDir() }).pending('trigger', everyWorkflow);
	expect(new Set(pending.map((call) => call.callId))).toEqual(new Set(calls.map((call) => call.callId)));
});

it('four processes registering 250 calls each at the same time lose nothing', async () => {
	await new CallRegistry({ dir: tempDir() }).pending('trigger', everyWorkflow);

	const results = await runWorkersTogether('register', { dir: tempDir(), workers: 4, count: 250, compactAtBytes: SMALL_LOG });
	const slowest = Math.max(...results.map((result) => result.elapsedMs));
	console.log(`4 processes x 250 registrations at once (log compacted from 16 KiB): all done in ${slowest} ms`);

	const pending = await new CallRegistry({ dir: tempDir() }).pending('trigger', everyWorkflow);
	expect(pending).toHaveLength(1000);
	for (let worker = 0; worker < 4; worker++) {
		for (let index = 0; index < 250; index++) {
			expect(pending.some((call) => call.callId === `worker-${worker}-call-${index}`)).toBe(true);
		}
	}
}, 60_000);

it('of many claims of one key made at once, exactly one is told to place the call', async () => {
	const registries = Array.from({ length: 8 }, () => new CallRegistry({ dir: tempDir() }));

	const results = await Promise.all(registries.map((registry) => registry.claimKey('sheet-row-1', HOUR_MS)));

	expect(results.filter((result) => result.state === 'claimed')).toHaveLength(1);
	expect(results.filter((result) => result.state === 'unconfirmed')).toHaveLength(7);
});

it('processes claiming the same rows at once: each row is claimed by exactly one of them', async () => {
	const results = await runWorkersTogether('claim', { dir: tempDir(), workers: 4, count: 100, compactAtBytes: SMALL_LOG });

	const claims = results.flatMap((result) => result.claimed);
	expect(claims).toHaveLength(100);
	expect(new Set(claims).size).toBe(100);
}, 60_000);
