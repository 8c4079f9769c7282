/** The registry stays small: what nobody needs any more is compacted away, damage is skipped. */
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CallRegistry } from '../../nodes/shared/call-registry';
import { aCall, DAY_MS, HOUR_MS, ManualClock } from './fixtures';
import { everythingOnDisk, ids, logPath, useTempDir } from './helpers';

const tempDir = useTempDir();
const everyWorkflow = { pineUserId: 'user-1' };
/** The stated bound, with the default settings, for calls that get delivered. */
const BOUND_BYTES = 128 * 1024;

it('after 10,000 calls registered and delivered, the files stay under 128 KiB and new calls still come through', async () => {
	const registry = new CallRegistry({ dir: tempDir() });
	await registry.pending('trigger', everyWorkflow);
	let largest = 0;
	const started = Date.now();

	for (let batch = 0; batch < 100; batch++) {
		for (let index = 0; index < 100; index++) {
			await registry.register(aCall());
			largest = Math.max(largest, await registry.sizeOnDisk());
		}
		const pending = await registry.pending('trigger', everyWorkflow);
		expect(pending).toHaveLength(100);
		await registry.markDelivered('trigger', ids(pending));
		largest = Math.max(largest, await registry.sizeOnDisk());
	}
	const elapsed = Date.now() - started;
	const final = await registry.sizeOnDisk();
	console.log(
		`10,000 calls registered and delivered (disk size checked after every call): ${elapsed} ms, ` +
			`${((elapsed / 10_000) * 1000).toFixed(0)} µs per call; ` +
			`largest on disk ${(largest / 1024).toFixed(1)} KiB, at the end ${(final / 1024).toFixed(1)} KiB`,
	);

	expect(largest).toBeLessThan(BOUND_BYTES);
	const next = aCall();
	await registry.register(next);
	expect(await new CallRegistry({ dir: tempDir() }).pending('trigger', everyWorkflow)).toEqual([next]);
}, 120_000);

it('calls older than the retention period stop being pending and leave the disk', async () => {
	const clock = new ManualClock();
	const registry = new CallRegistry({ dir: tempDir(), now: clock.now, compactAtBytes: 1024 });
	await registry.pending('trigger', everyWorkflow);
	const old = aCall({ placedAt: clock.iso() });
	await registry.register(old);

	clock.advance(7 * DAY_MS);

	expect(await registry.pending('trigger', everyWorkflow)).toEqual([]);
	await fillPastCompaction(registry, clock);
	expect(await everythingOnDisk(tempDir())).not.toContain(old.callId);
});

it('a trigger not seen for the retention period is dropped, and starts afresh if it comes back', async () => {
	const clock = new ManualClock();
	const registry = new CallRegistry({ dir: tempDir(), now: clock.now, compactAtBytes: 1024 });
	await registry.pending('deleted-workflow:trigger', everyWorkflow);
	clock.advance(7 * DAY_MS);
	await registry.register(aCall({ callId: 'while-away', placedAt: clock.iso() }));
	clock.advance(60_000);

	await fillPastCompaction(registry, clock);

	expect(await everythingOnDisk(tempDir())).not.toContain('deleted-workflow:trigger');
	expect(await registry.pending('deleted-workflow:trigger', everyWorkflow)).toEqual([]);
});

it('a trigger that keeps polling is never dropped, however long it runs', async () => {
	const clock = new ManualClock();
	const registry = new CallRegistry({ dir: tempDir(), now: clock.now, compactAtBytes: 1024 });
	await registry.pending('trigger', everyWorkflow);

	for (let day = 0; day < 30; day++) {
		clock.advance(DAY_MS / 2);
		await fillPastCompaction(registry, clock);
		await registry.pending('trigger', everyWorkflow);
		clock.advance(DAY_MS / 2);
	}
	const call = aCall({ placedAt: clock.iso() });
	await registry.register(call);

	expect(await registry.pending('trigger', everyWorkflow)).toContainEqual(call);
});

it('dedupe keys past their window leave the disk, and the row can be placed again', async () => {
	const clock = new ManualClock();
	const registry = new CallRegistry({ dir: tempDir(), now: clock.now, compactAtBytes: 1024 });
	await registry.claimKey('sheet-row-42', HOUR_MS);
	await registry.confirmKey('sheet-row-42', 'call-42');

	clock.advance(HOUR_MS);
	await fillPastCompaction(registry, clock);

	expect(await everythingOnDisk(tempDir())).not.toContain('sheet-row-42');
	expect(await registry.claimKey('sheet-row-42', HOUR_MS)).toEqual({ state: 'claimed' });
});

it('a half-written last line (a crash mid-write) is skipped, and the next call is not lost with it', async () => {
	const registry = new CallRegistry({ dir: tempDir() });
	const [before, after] = [aCall(), aCall()];
	await registry.register(before);
	await appendFile(logPath(tempDir()), '{"type":"call","callId":"torn","pineUserId":"us');

	await new CallRegistry({ dir: tempDir() }).register(after);

	expect(await new CallRegistry({ dir: tempDir() }).recent(everyWorkflow, 10)).toEqual([after, before]);
});

it('garbage in the middle of the log is skipped without losing the records around it', async () => {
	const registry = new CallRegistry({ dir: tempDir() });
	const [before, after] = [aCall(), aCall()];
	await registry.register(before);
	const garbage = ['\u0000\u0001\u0002 not json', '{"type":"call","callId":"no-other-fields"}', '[1,2,3]', 'null', '{}'];
	await appendFile(logPath(tempDir()), `${garbage.join('\n')}\n`);
	await registry.register(after);

	expect(await new CallRegistry({ dir: tempDir() }).recent(everyWorkflow, 10)).toEqual([after, before]);
});

it('a log with a damaged first line is still read, and rewritten whole by the next write', async () => {
	const registry = new CallRegistry({ dir: tempDir() });
	const [before, after] = [aCall(), aCall()];
	await registry.register(before);
	const text = await readFile(logPath(tempDir()), 'utf8');
	await writeFile(logPath(tempDir()), `#garbled#${text.slice(text.indexOf('\n'))}`);

	const reopened = new CallRegistry({ dir: tempDir() });
	expect(await reopened.recent(everyWorkflow, 10)).toEqual([before]);
	await reopened.register(after);

	expect(await readFile(logPath(tempDir()), 'utf8')).toMatch(/^\{"type":"header"/);
	expect(await new CallRegistry({ dir: tempDir() }).recent(everyWorkflow, 10)).toEqual([after, before]);
});

it('after compaction, "Fetch Test Event" still sees the latest 20 calls of each workflow', async () => {
	const clock = new ManualClock();
	const registry = new CallRegistry({ dir: tempDir(), now: clock.now, compactAtBytes: 1024 });
	const calls = [];
	for (let index = 0; index < 60; index++) {
		clock.advance(1000);
		calls.push(aCall({ placedAt: clock.iso() }));
		await registry.register(calls[index]);
	}

	expect(await registry.sizeOnDisk()).toBeLessThan(20 * 1024);
	expect(await new CallRegistry({ dir: tempDir(), now: clock.now }).recent(everyWorkflow, 20)).toEqual(calls.slice(-20).reverse());
});

it('a compaction that crashed before its rename leaves nothing behind once the next one runs', async () => {
	const clock = new ManualClock();
	const registry = new CallRegistry({ dir: tempDir(), now: clock.now, compactAtBytes: 1024 });
	await registry.register(aCall({ placedAt: clock.iso() }));
	await writeFile(join(tempDir(), 'registry.log.crashed.tmp'), 'half a compaction');

	await fillPastCompaction(registry, clock);

	expect(await readdir(tempDir())).toEqual(['registry.log']);
});

/** Enough unrelated writes to pass a 1 KiB compaction threshold several times. */
async function fillPastCompaction(registry: CallRegistry, clock: ManualClock): Promise<void> {
	for (let index = 0; index < 30; index++) {
		await registry.register(aCall({ pineUserId: 'someone-else', placedAt: clock.iso() }));
	}
}
