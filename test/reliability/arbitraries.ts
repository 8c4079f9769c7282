/**
 * fast-check generators: what n8n expressions can hand the node (strings of any kind, numbers,
 * booleans, null, objects, lists, nothing at all) and what a gateway can answer.
 */
import fc from 'fast-check';

import { CALL_ID_PLACEHOLDER, type Answer } from './scripted-server';

/** A value an expression like `{{ $json.column }}` can produce; `undefined` = the column is missing. */
export const expressionValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 3, arbitrary: fc.string() },
	{ weight: 2, arbitrary: fc.string({ unit: 'grapheme' }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
	{ weight: 2, arbitrary: fc.constantFrom('', ' ', '\n\t ', 'null', 'undefined', '0', '-1', 'NaN', 'Infinity', '1e309', '{{ $json }}', '=', '+', '+1', '00', 'true', 'false') },
	{ weight: 1, arbitrary: fc.integer() },
	{ weight: 1, arbitrary: fc.double() },
	{ weight: 1, arbitrary: fc.boolean() },
	{ weight: 1, arbitrary: fc.constant(null) },
	{ weight: 1, arbitrary: fc.constant(undefined) },
	{ weight: 1, arbitrary: fc.object({ maxDepth: 2, maxKeys: 3 }) },
	{ weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }) },
);

export interface Generated {
	value: unknown;
	/** false: the value came from `expressionValue`, anything at all. */
	valid: boolean;
}

export const VALID_PHONES = ['+14155550100', '+1 415 555 0123', '+1 (415) 555-0142', '+442079460000', '+61 2 9374 4000', '0044 20 7946 0018', '+6494461709', '+6561234567'];
export const validText = fc.string({ minLength: 1, maxLength: 40 }).filter((text) => text.trim() !== '');
export const validObjective = fc.constantFrom('Schedule a dental cleaning for next Tuesday afternoon', 'Confirm the dinner reservation for four people tonight');

/** A well-formed value for every field of a place operation. */
const validFields = {
	dialedNumber: fc.constantFrom(...VALID_PHONES),
	calleeName: validText,
	calleeContext: validText,
	callObjective: validObjective,
	caller: fc.constantFrom('communicator', 'Communicator', ' communicator '),
	detailedInstructions: fc.oneof(validText, fc.constant('')),
	voice: fc.constantFrom('female', 'male', 'MALE'),
	maxDurationMinutes: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.constantFrom('10', ' 5 ')),
	enableSummary: fc.constantFrom(true, false, 'true'),
	defaultCountry: fc.constantFrom('US', 'gb', 'AU'),
	dedupeKey: fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 12 })),
	dedupeWindowHours: fc.oneof(fc.integer({ min: 1, max: 720 }), fc.constant(0.5)),
	concurrency: fc.integer({ min: 1, max: 5 }),
	waitTimeoutMinutes: fc.constantFrom(1, 2, 180),
	pollIntervalSeconds: fc.constantFrom(1, 10),
	registerForTrigger: fc.boolean(),
	releaseUnconfirmedKey: fc.boolean(),
};
type FieldName = keyof typeof validFields;
const FIELD_NAMES = Object.keys(validFields) as FieldName[];

/**
 * Every field of a place operation: a well-formed row in which up to three fields (none in about
 * a third of the rows) hold anything an expression can give instead.
 */
export const callParameters: fc.Arbitrary<Record<FieldName, Generated>> = fc
	.tuple(
		fc.record(validFields),
		fc.oneof(fc.constant([] as FieldName[]), fc.subarray(FIELD_NAMES, { minLength: 1, maxLength: 3 })),
		fc.array(expressionValue, { minLength: 3, maxLength: 3 }),
	)
	.map(([valid, corrupted, junk]) => {
		const row = Object.fromEntries(FIELD_NAMES.map((name) => [name, { value: valid[name] as unknown, valid: true }])) as Record<FieldName, Generated>;
		corrupted.forEach((name, index) => (row[name] = { value: junk[index], valid: false }));
		return row;
	});

export type CallParameters = typeof callParameters extends fc.Arbitrary<infer T> ? T : never;

export const CALL_FIELDS = ['dialedNumber', 'calleeName', 'calleeContext', 'callObjective', 'caller', 'detailedInstructions'] as const;
export const ADDITIONAL_FIELDS = ['voice', 'maxDurationMinutes', 'enableSummary'] as const;
export const OPTION_FIELDS = ['defaultCountry', 'dedupeKey', 'dedupeWindowHours', 'concurrency', 'waitTimeoutMinutes', 'pollIntervalSeconds', 'registerForTrigger', 'releaseUnconfirmedKey'] as const;

/** JSON text that is not JSON, or JSON of the wrong shape. */
export const jsonishText: fc.Arbitrary<string> = fc.oneof(
	fc.constantFrom('', ' ', 'null', '[]', '{}', '"text"', '42', '{', '{"call_id":', '<html><body>502 Bad Gateway</body></html>', 'OK', '\u0000\u0001', '{"error":"boom"}', '{"error":{"code":"RATE_LIMITED"}}'),
	fc.string({ unit: 'binary', maxLength: 60 }),
	fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
);

export const STATUSES = ['in_progress', 'initiated', 'completed', 'failed', 'cancelled', 'Completed', 'HungupByPeer', 'NoAnswer', 'Declined', 'Cancelled', 'canceled', 'TooLongSilence', 'InternalError'];

/**
 * A call result as a gateway might send it: any field missing, mistyped or odd. `call_id` is
 * usually the id asked for; with `otherIds`, sometimes another string.
 */
export function callResultBody({ otherIds = true } = {}): fc.Arbitrary<Record<string, unknown>> {
	const sameOrNoId = fc.oneof({ weight: 6, arbitrary: fc.constant(CALL_ID_PLACEHOLDER as unknown) }, fc.integer(), fc.constant(null), fc.constant(''), fc.object({ maxDepth: 1 }));
	return fc.record(
		{
			call_id: otherIds ? fc.oneof({ weight: 4, arbitrary: sameOrNoId }, fc.string({ maxLength: 20 })) : sameOrNoId,
			status: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...STATUSES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
			duration_seconds: fc.oneof(fc.integer({ min: 0, max: 7200 }), fc.double(), fc.string({ maxLength: 6 }), fc.constant(null)),
			summary: fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null), fc.constant('echo <<TOKEN>>')),
			transcript: fc.oneof(
				{ weight: 4, arbitrary: fc.array(fc.record({ speaker: fc.oneof(fc.constantFrom('agent', 'user', 'system'), fc.integer(), fc.constant(null)), text: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant('<<TOKEN>>')) }, { requiredKeys: [] }), { maxLength: 6 }) },
				{ weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((turns) => Array.from({ length: turns }, (_, i) => ({ speaker: i % 2 ? 'user' : 'agent', text: `turn ${i} ${'lorem ipsum '.repeat(8)}` }))) },
				{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
			),
			credits_charged: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.string({ maxLength: 5 }), fc.constant(null)),
			phase: fc.string({ maxLength: 8 }),
		},
		{ requiredKeys: [] },
	);
}

/** Short waits only: long ones are the matrix's business (and see the Retry-After test in fuzz-responses). */
export const retryAfter = fc.constantFrom('0', '0.01', 'Thu, 01 Jan 1970 00:00:00 GMT', '-5');

/** HTTP status codes a gateway, a proxy or a load balancer may answer. */
export const anyStatus = fc.oneof(
	fc.constantFrom(200, 201, 202, 204, 301, 302, 400, 401, 402, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504),
	fc.integer({ min: 200, max: 599 }),
);

export const errorBody: fc.Arbitrary<string> = fc.oneof(
	fc
		.record({
			code: fc.oneof(fc.constantFrom('AUTH_REQUIRED', 'TOKEN_EXPIRED', 'RATE_LIMITED', 'INVALID_PHONE', 'NOT_FOUND', 'POLICY_VIOLATION', 'rate_limited', 'WEIRD_NEW_CODE', '', 'bad code!'), fc.string({ maxLength: 10 }), fc.integer()),
			message: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('token <<TOKEN>> refused'), fc.integer(), fc.constant(null)),
		}, { requiredKeys: [] })
		.map((error) => JSON.stringify({ error })),
	jsonishText,
);

// ---- Answers of a scripted gateway (see scripted-server.ts) ----

const withRetryAfter = (status: number): fc.Arbitrary<Record<string, string>> =>
	status === 429 || status >= 500 ? retryAfter.map((value) => ({ 'retry-after': value })) : fc.constant({});

/** Any error answer: a status with a JSON error body, an HTML page, or nothing; transient ones ask for a short wait. */
export const errorAnswer: fc.Arbitrary<Answer> = anyStatus
	.filter((status) => status >= 300)
	.chain((status) =>
		fc.record({
			kind: fc.constant('http' as const),
			status: fc.constant(status),
			headers: fc
				.tuple(withRetryAfter(status), fc.constantFrom<Record<string, string>>({}, { 'content-type': 'text/html' }, { 'content-type': 'text/plain; charset=utf-8' }))
				.map(([a, b]): Record<string, string> => ({ ...a, ...b })),
			body: errorBody,
		}),
	);

export const resetAnswer: fc.Arbitrary<Answer> = fc.constant({ kind: 'reset' as const });

/** What a gateway may answer to POST /voice/call. */
export const postAnswer: fc.Arbitrary<Answer> = fc.oneof(
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('http' as const), status: fc.constantFrom(200, 201), body: fc.oneof(
		fc.record({ call_id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.uuid(), fc.integer(), fc.constant(''), fc.constant(null)), status: fc.oneof(fc.constantFrom(...STATUSES), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] }).map((body) => JSON.stringify(body)),
		jsonishText,
	) }) },
	{ weight: 2, arbitrary: retryAfter.map((after): Answer => ({ kind: 'http', status: 429, headers: { 'retry-after': after }, body: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Concurrent call limit reached' } }) })) },
	{ weight: 3, arbitrary: errorAnswer },
	{ weight: 1, arbitrary: resetAnswer },
);

/** What a gateway may answer to GET /voice/call/:id. */
export function getAnswer(options: { otherIds?: boolean } = {}): fc.Arbitrary<Answer> {
	return fc.oneof(
		{ weight: 4, arbitrary: fc.record({ kind: fc.constant('http' as const), status: fc.constantFrom(200, 200, 200, 203), body: callResultBody(options).map((body) => JSON.stringify(body)) }) },
		{ weight: 1, arbitrary: fc.record({ kind: fc.constant('http' as const), status: fc.constant(200), body: jsonishText }) },
		{ weight: 2, arbitrary: errorAnswer },
		{ weight: 1, arbitrary: resetAnswer },
	);
}

/** One SSE event or line: heartbeats, unknown events, results with any body, junk. */
const sseEvent: fc.Arbitrary<string> = fc.oneof(
	{ weight: 2, arbitrary: fc.constantFrom(': connected\n\n', ': heartbeat\n\n', ':\n\n', '\n') },
	{ weight: 3, arbitrary: fc.record({ id: fc.option(fc.oneof(fc.nat().map(String), fc.string({ maxLength: 6 }).filter((id) => !/[\r\n]/.test(id))), { nil: undefined }), event: fc.oneof(fc.constantFrom('result', 'result', 'status', 'transcript', 'ping', 'error'), fc.string({ maxLength: 8 }).filter((name) => !/[\r\n]/.test(name))), data: fc.oneof(callResultBody().map((body) => JSON.stringify(body)), jsonishText.map((text) => text.replace(/[\r\n]/g, ' '))) }).map(({ id, event, data }) => `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`) },
	{ weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((line) => `${line}\n`) },
);

/** A stream answer: the events cut into chunks at random places; it ends or is reset. */
export const streamAnswer: fc.Arbitrary<Answer> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.record({ events: fc.array(sseEvent, { maxLength: 6 }), cuts: fc.array(fc.nat(), { maxLength: 4 }), end: fc.constantFrom('end' as const, 'reset' as const) }).map(({ events, cuts, end }): Answer => {
			const text = events.join('');
			const points = [...new Set(cuts.map((cut) => (text.length ? cut % text.length : 0)))].sort((a, b) => a - b);
			const bounds = [0, ...points, text.length];
			const chunks = bounds.slice(1).map((bound, i) => text.slice(bounds[i], bound)).filter(Boolean);
			return { kind: 'sse', chunks, end };
		}),
	},
	{ weight: 1, arbitrary: errorAnswer },
	{ weight: 1, arbitrary: resetAnswer },
);
