import type { ApiError, ParsedBody } from './http-io';

/** A POST /voice/call body that passed every check, with the server defaults filled in. */
export interface ValidCallRequest {
	dialedNumber: string;
	calleeName: string;
	calleeContext: string;
	callObjective: string;
	detailedInstructions: string;
	caller: 'negotiator' | 'communicator';
	voice: 'male' | 'female';
	maxDurationMinutes: number;
	enableSummary: boolean;
	raw: Record<string, unknown>;
}

export type CallValidation = { ok: true; call: ValidCallRequest } | { ok: false; error: ApiError };

const E164 = /^\+[1-9]\d{6,14}$/;
/** Country codes are prefix-free, so a prefix match identifies the country code. */
const SUPPORTED_COUNTRY_CODES = ['1', '44', '61', '64', '65', '353', '852'];
const SUPPORTED_REGIONS =
	'US, Canada and Puerto Rico (+1), UK (+44), Australia (+61), New Zealand (+64), ' +
	'Singapore (+65), Ireland (+353), Hong Kong (+852)';
const PREMIUM_RATE_PREFIXES = ['+1900', '+1976'];
/** Matched as a prefix of the national number: an exact 3-digit number would already fail the E.164 length check. */
const EMERGENCY_NUMBERS = ['911', '999', '112', '000'];
const DND_SUFFIX = '0199';
const REQUIRED_TEXT_FIELDS = ['callee_name', 'callee_context', 'call_objective'] as const;
const MIN_OBJECTIVE_WORDS = 4;

function reject(status: number, code: string, message: string): CallValidation {
	return { ok: false, error: { status, code, message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function checkPhone(dialed: unknown): CallValidation | undefined {
	if (isBlank(dialed)) return reject(400, 'PHONE_REQUIRED', 'dialed_number is required');
	if (typeof dialed !== 'string' || !E164.test(dialed)) {
		return reject(400, 'INVALID_PHONE', 'dialed_number must be in E.164 format, for example +14155551234');
	}
	const countryCode = SUPPORTED_COUNTRY_CODES.find((code) => dialed.startsWith(`+${code}`));
	if (!countryCode) {
		return reject(400, 'INVALID_PHONE', `Unsupported phone region. Supported regions: ${SUPPORTED_REGIONS}`);
	}
	const national = dialed.slice(1 + countryCode.length);
	if (
		PREMIUM_RATE_PREFIXES.some((prefix) => dialed.startsWith(prefix)) ||
		EMERGENCY_NUMBERS.some((emergency) => national.startsWith(emergency))
	) {
		return reject(403, 'POLICY_VIOLATION', 'Premium-rate and emergency numbers cannot be called');
	}
	if (dialed.endsWith(DND_SUFFIX)) {
		return reject(403, 'DND_BLOCKED', 'The target number is blocked by do-not-call controls');
	}
	return undefined;
}

function isWholeMinutes(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 120;
}

function wordCount(text: string): number {
	return text.trim().split(/\s+/).length;
}

/** Runs the gateway's checks in its order; the first failure wins. */
export function validateCallRequest(body: ParsedBody): CallValidation {
	if (!body.ok) return reject(400, 'INVALID_REQUEST', `Invalid request: ${body.reason}`);
	if (!isRecord(body.value)) return reject(400, 'INVALID_REQUEST', 'Invalid request: the body must be a JSON object');
	const fields = body.value;

	const phoneRejection = checkPhone(fields.dialed_number);
	if (phoneRejection) return phoneRejection;

	for (const name of REQUIRED_TEXT_FIELDS) {
		if (typeof fields[name] !== 'string' || isBlank(fields[name])) {
			return reject(400, 'INVALID_REQUEST', `${name} is required and must be a non-empty string`);
		}
	}
	const callObjective = fields.call_objective as string;
	if (wordCount(callObjective) < MIN_OBJECTIVE_WORDS) {
		return reject(
			400,
			'INSUFFICIENT_DETAIL',
			`call_objective is too vague: describe the goal in at least ${MIN_OBJECTIVE_WORDS} words`,
		);
	}

	const caller = fields.caller ?? 'negotiator';
	if (caller !== 'negotiator' && caller !== 'communicator') {
		return reject(400, 'INVALID_REQUEST', 'caller must be "negotiator" or "communicator"');
	}
	const voice = fields.voice ?? 'female';
	if (voice !== 'male' && voice !== 'female') {
		return reject(400, 'INVALID_REQUEST', 'voice must be "male" or "female"');
	}
	const maxDurationMinutes = fields.max_duration_minutes ?? 120;
	if (!isWholeMinutes(maxDurationMinutes)) {
		return reject(400, 'INVALID_REQUEST', 'max_duration_minutes must be an integer from 1 to 120');
	}
	const detailedInstructions = fields.detailed_instructions ?? '';
	if (typeof detailedInstructions !== 'string') {
		return reject(400, 'INVALID_REQUEST', 'detailed_instructions must be a string');
	}
	if (caller === 'negotiator' && detailedInstructions.trim() === '') {
		return reject(403, 'POLICY_VIOLATION', 'a negotiator call needs a strategy in detailed_instructions');
	}

	return {
		ok: true,
		call: {
			dialedNumber: fields.dialed_number as string,
			calleeName: fields.callee_name as string,
			calleeContext: fields.callee_context as string,
			callObjective,
			detailedInstructions,
			caller,
			voice,
			maxDurationMinutes,
			enableSummary: fields.enable_summary === true,
			raw: fields,
		},
	};
}
