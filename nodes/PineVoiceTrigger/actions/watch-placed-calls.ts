import type { IPollFunctions } from 'n8n-workflow';

import { CallRegistry, type ConsumerScope } from '../../shared/call-registry';
import type { CallResult } from '../../shared/types';
import type { PineVoiceClient } from '../../shared/voice-client';
import { checkCalls } from './check-calls';

/** How many recent calls "Fetch Test Event" looks through for one that has ended. */
const TEST_EVENT_LOOKBACK = 20;

/**
 * Calls placed by Place Call on this n8n instance, from the durable call registry. Each ended
 * call is handed out once per trigger node; ended calls whose status is filtered out are
 * consumed too, so they are not asked about again.
 */
export async function pollPlacedCalls(
	context: IPollFunctions,
	client: PineVoiceClient,
	scope: ConsumerScope,
	accept: (call: CallResult) => boolean,
): Promise<CallResult[]> {
	const registry = new CallRegistry();
	if (context.getMode() === 'manual') {
		const recent = await registry.recent(scope, TEST_EVENT_LOOKBACK);
		const { ended } = await checkCalls(context, client, recent.map((call) => call.callId));
		const first = ended.find(({ call }) => accept(call));
		return first ? [first.call] : [];
	}

	const consumerId = `${context.getWorkflow().id ?? 'workflow'}:${context.getNode().id}`;
	const pending = await registry.pending(consumerId, scope);
	if (pending.length === 0) return [];
	const { ended, unknown } = await checkCalls(context, client, pending.map((call) => call.callId));
	if (unknown.length) await registry.forget(unknown);
	await registry.markDelivered(consumerId, ended.map(({ id }) => id));
	return ended.map(({ call }) => call).filter(accept);
}
