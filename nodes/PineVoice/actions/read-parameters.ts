import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CallFieldValues } from '../../shared/call-input';

export interface NodeOptions {
	defaultCountry?: string;
	concurrency?: number;
	waitTimeoutMinutes?: number;
	pollIntervalSeconds?: number;
	registerForTrigger?: boolean;
	dedupeKey?: unknown;
	dedupeWindowHours?: unknown;
	releaseUnconfirmedKey?: boolean;
}

export function readOptions(context: IExecuteFunctions, itemIndex: number): NodeOptions {
	return context.getNodeParameter('options', itemIndex, {}) as NodeOptions;
}

/** Concurrency is one value for the whole batch; Pine allows at most 5 calls at once. */
export function readConcurrency(context: IExecuteFunctions): number {
	const value = Number(readOptions(context, 0).concurrency ?? 5);
	return Number.isInteger(value) ? Math.min(5, Math.max(1, value)) : 5;
}

export function readCallFields(context: IExecuteFunctions, itemIndex: number): CallFieldValues {
	const parameter = (name: string) => context.getNodeParameter(name, itemIndex, '') as unknown;
	const additional = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	return {
		dialedNumber: parameter('dialedNumber'),
		calleeName: parameter('calleeName'),
		calleeContext: parameter('calleeContext'),
		callObjective: parameter('callObjective'),
		caller: parameter('caller'),
		detailedInstructions: parameter('detailedInstructions'),
		voice: additional.voice,
		maxDurationMinutes: additional.maxDurationMinutes,
		enableSummary: additional.enableSummary,
		defaultCountry: readOptions(context, itemIndex).defaultCountry,
	};
}
