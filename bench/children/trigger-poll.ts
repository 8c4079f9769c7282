/*
 * Child of measures/trigger-scale.ts. Activates a Pine Voice Trigger (watch placed calls, all
 * workflows), tells the parent, waits for the parent to place the calls, then runs one poll
 * through n8n-core's PollContext and reports its time and memory.
 * argv: <emulator url>
 */
import '../lib/setup-env';

import { performance } from 'node:perf_hooks';

import { credentialTypes, nodeTypes } from '../../test/harness/package-types';
import { triggerPoller } from '../../test/harness/poll-trigger';
import { fromParent, toParent } from '../lib/child';
import { watchMemory } from '../lib/memory';
import { BENCH_USER } from '../lib/pine';

// Bounded: if the parent goes away, so does this process.
process.on('disconnect', () => process.exit(1));

async function main(): Promise<void> {
	const url = process.argv[2];
	const workflow = {
		id: 'wf-bench-trigger',
		nodes: [
			{
				id: 'bench-trigger',
				name: 'Pine Voice Trigger',
				type: 'n8n-nodes-pine-voice.pineVoiceTrigger',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: { watch: 'placedCalls', scope: 'allWorkflows' },
				credentials: { pineVoiceApi: { id: 'cred-1', name: 'Pine' } },
			},
		],
		connections: {},
	};
	const credentials = { pineVoiceApi: { accessToken: BENCH_USER.token, userId: BENCH_USER.userId, gatewayUrl: url } };
	const trigger = triggerPoller(workflow, 'Pine Voice Trigger', { nodeTypes, credentialTypes, credentials });

	// Activation: the trigger watches calls placed from now on.
	const first = await trigger.poll();
	toParent({ type: 'ready', emittedAtActivation: first.length });

	await fromParent('poll');
	const memory = watchMemory();
	const started = performance.now();
	const items = await trigger.poll();
	const pollMs = performance.now() - started;
	const peak = memory.stop();
	toParent({ type: 'result', pollMs, items: items.length, ...peak });
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
