import { InputError } from './input-error';
import { isSupportedRegion, normalizePhoneNumber, SUPPORTED_REGIONS_TEXT } from './phone';
import type { CallRequest } from './types';

/** Call fields as the node reads them: any type an expression can produce. */
export interface CallFieldValues {
	dialedNumber: unknown;
	calleeName: unknown;
	calleeContext: unknown;
	callObjective: unknown;
	caller?: unknown;
	detailedInstructions?: unknown;
	voice?: unknown;
	maxDurationMinutes?: unknown;
	enableSummary?: unknown;
	defaultCountry?: unknown;
}

export const DEFAULT_MAX_DURATION_MINUTES = 120;

const CALLERS = ['communicator', 'negotiator'] as const;
const VOICES = ['female', 'male'] as const;

/** Field names as the node panel shows them, for error messages. */
export const FIELD_LABELS: Record<keyof CallFieldValues, string> = {
	dialedNumber: 'Phone Number',
	calleeName: 'Callee Name',
	calleeContext: 'Callee Context',
	callObjective: 'Call Objective',
	caller: 'Caller',
	detailedInstructions: 'Detailed Instructions',
	voice: 'Voice',
	maxDurationMinutes: 'Max Duration (Minutes)',
	enableSummary: 'Enable Summary',
	defaultCountry: 'Default Country',
};

/** Checks the values of one item and builds Pine's request body; throws InputError naming the field. */
export function buildCallRequest(values: CallFieldValues): CallRequest {
	const defaultCountry = optionalText(values, 'defaultCountry');
	if (defaultCountry && !isSupportedRegion(defaultCountry)) {
		throw new InputError(
			'defaultCountry',
			`Default Country "${defaultCountry}" is not a region Pine Voice calls. Supported: ${SUPPORTED_REGIONS_TEXT}`,
		);
	}
	const phone = normalizePhoneNumber(requiredText(values, 'dialedNumber'), defaultCountry);
	if (!phone.ok) throw new InputError('dialedNumber', `Phone Number: ${phone.reason}`);

	const caller = optionalChoice(values, 'caller', CALLERS) ?? 'communicator';
	const detailedInstructions = optionalText(values, 'detailedInstructions') ?? '';
	if (caller === 'negotiator' && !detailedInstructions) {
		throw new InputError(
			'detailedInstructions',
			'Detailed Instructions are required when Caller is Negotiator',
			'Give the negotiator its strategy: target outcome, acceptable range, leverage points and limits. Or choose Communicator.',
		);
	}

	const request: CallRequest = {
		dialed_number: phone.e164,
		callee_name: requiredText(values, 'calleeName'),
		callee_context: requiredText(values, 'calleeContext'),
		call_objective: requiredText(values, 'callObjective'),
		detailed_instructions: detailedInstructions,
		caller,
		max_duration_minutes: maxDuration(values.maxDurationMinutes),
	};
	const voice = optionalChoice(values, 'voice', VOICES);
	if (voice) request.voice = voice;
	if (toBoolean(values.enableSummary)) request.enable_summary = true;
	return request;
}

/** A text value from an expression: strings and numbers are accepted, anything else is refused. */
export function readText(value: unknown, field: string, label: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') {
		throw new InputError(field, `${label} must be text, but the expression gave ${describeType(value)}`);
	}
	const text = value.trim();
	return text === '' ? undefined : text;
}

function requiredText(values: CallFieldValues, field: keyof CallFieldValues): string {
	const text = readText(values[field], field, FIELD_LABELS[field]);
	if (text === undefined) throw new InputError(field, `${FIELD_LABELS[field]} is empty, but a call needs it`);
	return text;
}

function optionalText(values: CallFieldValues, field: keyof CallFieldValues): string | undefined {
	return readText(values[field], field, FIELD_LABELS[field]);
}

function optionalChoice<T extends string>(
	values: CallFieldValues,
	field: keyof CallFieldValues,
	choices: readonly T[],
): T | undefined {
	const text = optionalText(values, field)?.toLowerCase();
	if (text === undefined) return undefined;
	if (!(choices as readonly string[]).includes(text)) {
		throw new InputError(field, `${FIELD_LABELS[field]} must be one of ${choices.join(', ')}, not "${text}"`);
	}
	return text as T;
}

function maxDuration(value: unknown): number {
	if (value === undefined || value === null || value === '') return DEFAULT_MAX_DURATION_MINUTES;
	const minutes = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 120) {
		throw new InputError(
			'maxDurationMinutes',
			`Max Duration (Minutes) must be a whole number from 1 to 120, not ${JSON.stringify(value)}`,
		);
	}
	return minutes;
}

function toBoolean(value: unknown): boolean {
	return value === true || value === 'true';
}

function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
