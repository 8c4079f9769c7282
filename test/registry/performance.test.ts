/** No timed assertions: the figures are printed for the report. */
import { CallRegistry } from '../../nodes/shared/call-registry';
import { aCall } from './fixtures';
import { useTempDir } from './helpers';

const tempDir = useTempDir();
const everyWorkflow = { pineUserId: 'user-1' };

it('pending() over 1,000 undelivered calls', async () => {
	const registry = new CallRegistry({ dir: tempDir() });
	await registry.pending('trigger', everyWorkflow);
	let started = performance.now();
	for (let index = 0; index < 1000; index++) await registry.register(aCall());
	const registering = performance.now() - started;

	started = performance.now();
	const warm = await registry.pending('trigger', everyWorkflow);
	const warmMs = performance.now() - started;

	const restarted = new CallRegistry({ dir: tempDir() });
	started = performance.now();
	const cold = await restarted.pending('trigger', everyWorkflow);
	const coldMs = performance.now() - started;

	console.log(
		`1,000 registrations: ${registering.toFixed(0)} ms (${registering.toFixed(0)} µs each); ` +
			`pending() over 1,000: ${warmMs.toFixed(1)} ms warm, ${coldMs.toFixed(1)} ms after a restart ` +
			`(log ${((await registry.sizeOnDisk()) / 1024).toFixed(0)} KiB)`,
	);
	expect(warm).toHaveLength(1000);
	expect(cold).toHaveLength(1000);
});
