import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorCode, toNodeError } from '../../adapters/node-error';
import { mapWithConcurrency } from '../../shared/batch';
import { PineVoiceError } from '../../shared/errors';

type Outcome = { ok: true; json: IDataObject } | { ok: false; error: unknown };

export interface PerItemOperation<Input> {
	/** Reads and checks one item's parameters; throws InputError. Runs for every item before any request. */
	read(itemIndex: number): Input;
	/** Does the work for one item, at most `concurrency` at once. */
	work(input: Input, itemIndex: number): Promise<IDataObject>;
	concurrency: number;
}

/**
 * Runs an operation over every input item: validates all of them first, then works through
 * them in a sliding window. Every input item yields exactly one output item, paired to it.
 * Without Continue On Fail, the first failure stops new items from starting and is thrown
 * once the items already in flight have finished.
 */
export async function runPerItem<Input>(
	context: IExecuteFunctions,
	operation: PerItemOperation<Input>,
): Promise<INodeExecutionData[]> {
	const count = context.getInputData().length;
	const continueOnFail = context.continueOnFail();
	const node = context.getNode();

	const inputs = Array.from({ length: count }, (_, itemIndex) => {
		try {
			return { ok: true as const, value: operation.read(itemIndex) };
		} catch (error) {
			if (!continueOnFail) throw toNodeError(node, error, itemIndex);
			return { ok: false as const, error };
		}
	});

	let stopped = false;
	const outcomes = await mapWithConcurrency<Outcome>(count, operation.concurrency, async (itemIndex) => {
		const input = inputs[itemIndex];
		if (!input.ok) return { ok: false, error: input.error };
		if (stopped) return { ok: false, error: new Error('Not started: an earlier item failed') };
		try {
			return { ok: true, json: await operation.work(input.value, itemIndex) };
		} catch (error) {
			if (!continueOnFail) stopped = true;
			return { ok: false, error };
		}
	});

	// Items start in input order, so the first failure in input order is the one that stopped the batch.
	const firstFailure = outcomes.findIndex((outcome) => !outcome.ok);
	if (!continueOnFail && firstFailure !== -1) {
		throw toNodeError(node, (outcomes[firstFailure] as { error: unknown }).error, firstFailure);
	}
	return outcomes.map((outcome, itemIndex) => ({
		json: outcome.ok ? outcome.json : failureJson(node, (outcome as { error: unknown }).error, itemIndex),
		pairedItem: { item: itemIndex },
	}));
}

/** The output item of a failed input item under Continue On Fail: `error`, `code`, `hint`, `call_id`. */
export function failureJson(node: ReturnType<IExecuteFunctions['getNode']>, error: unknown, itemIndex: number): IDataObject {
	const nodeError = toNodeError(node, error, itemIndex);
	const json: IDataObject = { error: nodeError.message, code: errorCode(error) ?? null };
	if (nodeError.description) json.hint = nodeError.description;
	if (error instanceof PineVoiceError && error.callId) json.call_id = error.callId;
	if (error instanceof PineVoiceError && error.deduplicated) json.deduplicated = true;
	return json;
}
