/** What a Pine Voice Trigger is handed: every call in its scope placed since it first polled, once. */
import { CallRegistry, type RegisteredCall } from '../../nodes/shared/call-registry';
import { aCall, ManualClock } from './fixtures';
import { ids, useTempDir } from './helpers';

const tempDir = useTempDir();
const everyWorkflow = { pineUserId: 'user-1' };

it('two triggers watching the same calls each get every call exactly once over many polls', async () => {
	// Two triggers in two workflows, each with its own registry instance, as in two executions.
	const placer = new CallRegistry({ dir: tempDir(), compactAtBytes: 4096 });
	const triggers = ['workflow-a:trigger', 'workflow-b:trigger'].map((consumerId) => ({
		consumerId,
		registry: new CallRegistry({ dir: tempDir(), compactAtBytes: 4096 }),
		received: [] as string[],
	}));
	for (const trigger of triggers) await trigger.registry.pending(trigger.consumerId, everyWorkflow);

	const placed: string[] = [];
	for (let round = 0; round < 40; round++) {
		for (let index = 0; index < 5; index++) {
			const call = aCall({ workflowId: `workflow-${index % 2 ? 'a' : 'b'}` });
			await placer.register(call);
			placed.push(call.callId);
		}
		for (const [position, trigger] of triggers.entries()) {
			const pending = await trigger.registry.pending(trigger.consumerId, everyWorkflow);
			// Like the trigger, hand out only the calls that have ended: here, a varying part of them.
			const ended = pending.filter((_, index) => (index + round + position) % 3 !== 0);
			trigger.received.push(...ids(ended));
			await trigger.registry.markDelivered(trigger.consumerId, ids(ended));
		}
	}
	for (const trigger of triggers) {
		const rest = await trigger.registry.pending(trigger.consumerId, everyWorkflow);
		trigger.received.push(...ids(rest));
		await trigger.registry.markDelivered(trigger.consumerId, ids(rest));
	}

	for (const trigger of triggers) {
		expect([...trigger.received].sort()).toEqual([...placed].sort());
		expect(await trigger.registry.pending(trigger.consumerId, everyWorkflow)).toEqual([]);
	}
});

it('a call not yet delivered stays pending across restarts until it is', async () => {
	const first = new CallRegistry({ dir: tempDir() });
	await first.pending('trigger', everyWorkflow);
	const call = aCall();
	await first.register(call);
	expect(await first.pending('trigger', everyWorkflow)).toEqual([call]);

	const second = new CallRegistry({ dir: tempDir() });
	expect(await second.pending('trigger', everyWorkflow)).toEqual([call]);
	await second.markDelivered('trigger', [call.callId]);

	expect(await new CallRegistry({ dir: tempDir() }).pending('trigger', everyWorkflow)).toEqual([]);
});

it('a trigger is not handed calls placed before it first polled', async () => {
	const clock = new ManualClock();
	const registry = new CallRegistry({ dir: tempDir(), now: clock.now });
	await registry.register(aCall({ callId: 'before', placedAt: clock.iso() }));
	clock.advance(1000);

	expect(await registry.pending('trigger', everyWorkflow)).toEqual([]);
	await registry.register(aCall({ callId: 'after', placedAt: clock.iso() }));

	expect(ids(await registry.pending('trigger', everyWorkflow))).toEqual(['after']);
});

it('calls come out oldest first', async () => {
	const clock = new ManualClock();
	const registry = new CallRegistry({ dir: tempDir(), now: clock.now });
	await registry.pending('trigger', everyWorkflow);
	const at = (minutes: number) => new Date(clock.time + minutes * 60_000).toISOString();
	await registry.register(aCall({ callId: 'second', placedAt: at(2) }));
	await registry.register(aCall({ callId: 'first', placedAt: at(1) }));
	await registry.register(aCall({ callId: 'third', placedAt: at(3) }));

	expect(ids(await registry.pending('trigger', everyWorkflow))).toEqual(['first', 'second', 'third']);
});

describe('scope', () => {
	let registry: CallRegistry;
	const calls: Record<string, RegisteredCall> = {};

	beforeEach(async () => {
		registry = new CallRegistry({ dir: tempDir() });
		await registry.pending('this-workflow', { pineUserId: 'user-1', workflowId: 'workflow-1' });
		await registry.pending('all-workflows', { pineUserId: 'user-1' });
		calls.mine = aCall({ callId: 'mine', pineUserId: 'user-1', workflowId: 'workflow-1' });
		calls.sibling = aCall({ callId: 'sibling', pineUserId: 'user-1', workflowId: 'workflow-2' });
		calls.otherUser = aCall({ callId: 'other-user', pineUserId: 'user-2', workflowId: 'workflow-1' });
		for (const call of Object.values(calls)) await registry.register(call);
	});

	it('a trigger watching its own workflow sees only calls placed by that workflow', async () => {
		expect(ids(await registry.pending('this-workflow', { pineUserId: 'user-1', workflowId: 'workflow-1' }))).toEqual([
			'mine',
		]);
	});

	it('a trigger watching all workflows sees every workflow of its Pine user, never another user', async () => {
		expect(ids(await registry.pending('all-workflows', { pineUserId: 'user-1' }))).toEqual(['mine', 'sibling']);
	});
});

it('a forgotten call is no longer pending for anyone', async () => {
	const registry = new CallRegistry({ dir: tempDir() });
	await registry.pending('trigger-a', everyWorkflow);
	await registry.pending('trigger-b', everyWorkflow);
	const [gone, kept] = [aCall(), aCall()];
	await registry.register(gone);
	await registry.register(kept);

	await registry.forget([gone.callId]);

	expect(await registry.pending('trigger-a', everyWorkflow)).toEqual([kept]);
	expect(await new CallRegistry({ dir: tempDir() }).pending('trigger-b', everyWorkflow)).toEqual([kept]);
});

it('registering the same call again does not hand it out a second time', async () => {
	const registry = new CallRegistry({ dir: tempDir() });
	await registry.pending('trigger', everyWorkflow);
	const call = aCall();
	await registry.register(call);
	await registry.markDelivered('trigger', [call.callId]);

	await registry.register(call);

	expect(await registry.pending('trigger', everyWorkflow)).toEqual([]);
});

it('"Fetch Test Event" sees the latest calls, delivered or not, and consumes nothing', async () => {
	const clock = new ManualClock();
	const registry = new CallRegistry({ dir: tempDir(), now: clock.now });
	await registry.pending('trigger', everyWorkflow);
	const calls = [0, 1, 2].map((minute) => aCall({ placedAt: new Date(clock.time + minute * 60_000).toISOString() }));
	for (const call of calls) await registry.register(call);
	await registry.markDelivered('trigger', [calls[2].callId]);
	const sizeBefore = await registry.sizeOnDisk();

	expect(await registry.recent(everyWorkflow, 2)).toEqual([calls[2], calls[1]]);
	expect(await registry.recent({ pineUserId: 'user-2' }, 2)).toEqual([]);
	expect(await registry.sizeOnDisk()).toBe(sizeBefore);
	expect(ids(await registry.pending('trigger', everyWorkflow))).toEqual([calls[0].callId, calls[1].callId]);
});
