import type { IPollFunctions } from 'n8n-workflow';

import type { CallResult } from '../../shared/types';
import type { PineVoiceClient } from '../../shared/voice-client';
import { checkCalls } from './check-calls';

/**
 * A fixed list of call ids. Only this trigger writes what it has delivered, so the node's own
 * static data is safe here (unlike for calls placed by other workflows) and stays bounded by
 * the list: ids removed from the list are forgotten.
 */
export async function pollCallIds(
	context: IPollFunctions,
	client: PineVoiceClient,
	callIds: string[],
	accept: (call: CallResult) => boolean,
): Promise<CallResult[]> {
	const manual = context.getMode() === 'manual';
	const state = context.getWorkflowStaticData('node') as { delivered?: string[] };
	const delivered = new Set((state.delivered ?? []).filter((id) => callIds.includes(id)));
	const watched = manual ? callIds : callIds.filter((id) => !delivered.has(id));
	if (watched.length === 0) return [];

	const { ended, unknown } = await checkCalls(context, client, watched);
	const calls = ended.map(({ call }) => call);
	if (manual) return calls.filter(accept).slice(0, 1);
	for (const id of [...unknown, ...ended.map(({ id }) => id)]) delivered.add(id);
	state.delivered = [...delivered];
	return calls.filter(accept);
}

/** Call ids as users paste them: separated by commas, spaces or new lines. */
export function parseCallIds(value: unknown): string[] {
	const text = Array.isArray(value) ? value.join(',') : String(value ?? '');
	return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}
