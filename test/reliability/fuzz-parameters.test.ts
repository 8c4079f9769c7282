/**
 * Property-based fuzzing of the node's parameters, through n8n-core's engine against the emulator:
 * every field mapped from a column that may hold any JSON type, be blank, or be missing.
 *
 * Properties, for every generated batch under Continue On Fail:
 *  - the run never fails as a whole; every input item yields exactly one output item, paired to it;
 *  - an item is either a result or a clear failure: "Item N: …" with a Pine code, never a crash text;
 *  - bad input is INVALID_INPUT naming the field, and no POST is sent for it;
 *  - an item whose every field is well formed is placed.
 */
import fs from 'node:fs';

import fc from 'fast-check';
import type { INodeParameters } from 'n8n-workflow';

import type { RunningEmulator } from '../emulator/types';
import { FIELD_LABELS } from '../../nodes/shared/call-input';
import {
	ADDITIONAL_FIELDS,
	CALL_FIELDS,
	callParameters,
	expressionValue,
	OPTION_FIELDS,
	type CallParameters,
} from './arbitraries';
import { CRASH_WORDS, credentialsFor, pineWorkflow, pollerFor, postCallDirectly, requestCounts, runPine, runPineItems, seenText, SENTINEL_TOKEN, sentinelAccount, startEmulator, tempDir } from './support';

const ACCOUNT = sentinelAccount('fuzz-parameters');
// CI replays one fixed seed so that a red run is reproducible and never a roll of the dice;
// elsewhere every run explores a new one.
const SEED = Number(process.env.FUZZ_SEED ?? (process.env.CI ? 20261204 : Date.now() % 2 ** 31));
const RUNS = { placeCall: 200, placeAndWait: 100, withoutContinueOnFail: 80, getCall: 150, trigger: 100 };

let emulator: RunningEmulator;
let registryDir = '';
/** A call that has ended, for the trigger to find among the watched IDs. */
let endedCallId = '';
const tally = { batches: 0, items: 0, results: 0, invalidInput: 0, otherErrors: 0, codes: new Map<string, number>() };

beforeAll(async () => {
	registryDir = tempDir('pine-fuzz-registry-');
	process.env.PINE_VOICE_REGISTRY_DIR = registryDir;
	// Calls last a few ms; no concurrency limit, so every POST is answered by validation alone.
	emulator = await startEmulator(ACCOUNT, { msPerMinute: 2, heartbeatMs: 5, maxConcurrentCalls: 100_000 });
	endedCallId = await postCallDirectly(emulator, ACCOUNT, '+14155550100');
	console.log(`fuzz-parameters: seed ${SEED} (set FUZZ_SEED to replay)`);
});
afterAll(async () => {
	fs.rmSync(registryDir, { recursive: true, force: true });
	console.log(
		`fuzz-parameters: ${tally.batches} batches, ${tally.items} items: ${tally.results} results, ${tally.invalidInput} INVALID_INPUT, ` +
			`${tally.otherErrors} other errors (${[...tally.codes].map(([code, n]) => `${code} ${n}`).join(', ')})`,
	);
	await emulator.stop();
	expect(seenText.join('\n')).not.toContain(SENTINEL_TOKEN);
});

const credentials = () => credentialsFor(ACCOUNT, emulator.url);
const labels = [...Object.values(FIELD_LABELS), 'Dedupe Key', 'Dedupe Window (Hours)'];

/**
 * Columns of one row, and the node's parameters mapping each field to its column. Columns are
 * prefixed: n8n's expression sandbox refuses `$json.caller`.
 */
function rowFor(parameters: CallParameters): Record<string, unknown> {
	return Object.fromEntries(Object.entries(parameters).map(([name, generated]) => [`f_${name}`, generated.value]));
}

function nodeParameters(operation: string, omit: Set<string>): INodeParameters {
	const column = (name: string) => `={{ $json.f_${name} }}`;
	const pick = (names: readonly string[]) => Object.fromEntries(names.filter((name) => !omit.has(name)).map((name) => [name, column(name)]));
	return { operation, ...pick(CALL_FIELDS), additionalFields: pick(ADDITIONAL_FIELDS), options: pick(OPTION_FIELDS) };
}

const isText = (value: unknown) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
const notTextOrNumber = (value: unknown) => value !== undefined && value !== null && !isText(value);
/** Text with a lone UTF-16 surrogate: it cannot go into a URL. */
const brokenText = (value: unknown) => typeof value === 'string' && /\p{Surrogate}/u.test(value);

/** Reasons this row must be refused before any request (not every reason: a simple, independent oracle). */
function definitelyInvalid(parameters: CallParameters, omitted: Set<string>): string[] {
	const value = (name: keyof CallParameters) => (omitted.has(name) ? undefined : parameters[name].value);
	const reasons: string[] = [];
	for (const name of ['dialedNumber', 'calleeName', 'calleeContext', 'callObjective'] as const) {
		if (blank(value(name)) || notTextOrNumber(value(name))) reasons.push(`${name} blank or not text`);
	}
	for (const name of ['caller', 'detailedInstructions', 'voice', 'defaultCountry', 'dedupeKey'] as const) {
		if (notTextOrNumber(value(name))) reasons.push(`${name} not text`);
	}
	const caller = value('caller');
	if (typeof caller === 'string' && caller.trim() && !['communicator', 'negotiator'].includes(caller.trim().toLowerCase())) reasons.push('unknown caller');
	const voice = value('voice');
	if (typeof voice === 'string' && voice.trim() && !['female', 'male'].includes(voice.trim().toLowerCase())) reasons.push('unknown voice');
	const minutes = value('maxDurationMinutes');
	if (minutes !== undefined && minutes !== null && minutes !== '') {
		const number = typeof minutes === 'string' ? Number(minutes.trim()) : minutes;
		if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 120) reasons.push('duration outside 1-120');
	}
	return reasons;
}

function definitelyValid(parameters: CallParameters, omitted: Set<string>): boolean {
	return Object.entries(parameters).every(([name, generated]) => generated.valid || omitted.has(name)) && !omitted.has('dialedNumber') &&
		!['calleeName', 'calleeContext', 'callObjective'].some((name) => omitted.has(name));
}

/** Optional parameters left out of the node (required ones cannot be: n8n refuses such a workflow before it runs). */
const omissions = fc.subarray(['caller', 'detailedInstructions', ...ADDITIONAL_FIELDS, ...OPTION_FIELDS], { maxLength: 3 });
const batch = fc.array(callParameters, { minLength: 1, maxLength: 4 });

function checkItems(operation: 'placeCall' | 'placeAndWait', rows: CallParameters[], omit: Set<string>, items: Array<Record<string, unknown>>, postsBefore: number) {
	expect(items).toHaveLength(rows.length);
	tally.batches++;
	for (const [index, item] of items.entries()) {
		tally.items++;
		if (item.code === 'INVALID_INPUT') tally.invalidInput++;
		else if (item.error) {
			tally.otherErrors++;
			tally.codes.set(String(item.code), (tally.codes.get(String(item.code)) ?? 0) + 1);
		} else tally.results++;
		const invalid = definitelyInvalid(rows[index], omit);
		if (typeof item.error === 'string') {
			expect(item.error).toMatch(new RegExp(`^Item ${index + 1}: `));
			expect(item.error).not.toMatch(CRASH_WORDS);
			expect({ error: item.error, code: item.code }).toEqual({ error: item.error, code: expect.stringMatching(/^[A-Z][A-Z0-9_]+$/) });
			if (item.code === 'INVALID_INPUT') expect(labels.some((label) => String(item.error).includes(label))).toBe(true);
		} else {
			expect(item).toMatchObject({ call_id: expect.any(String), status: expect.any(String) });
			if (operation === 'placeAndWait') expect(item).toMatchObject({ transcript: expect.any(Array), transcript_text: expect.any(String) });
		}
		if (invalid.length > 0) expect({ reasons: invalid, code: item.code }).toMatchObject({ code: 'INVALID_INPUT' });
		if (definitelyValid(rows[index], omit)) expect({ valid: true, item }).toMatchObject({ item: { call_id: expect.any(String) } });
		if (definitelyValid(rows[index], omit)) expect(item.error).toBeUndefined();
	}
	// A POST for every item that got past validation and was not answered from the dedupe registry; none for the others.
	const expectedPosts = items.filter((item) => item.code !== 'INVALID_INPUT' && item.code !== 'DEDUPE_UNCONFIRMED' && item.deduplicated !== true).length;
	expect(requestCounts(emulator).posts - postsBefore).toBe(expectedPosts);
}

describe.each(['placeCall', 'placeAndWait'] as const)('fuzzed parameters: %s', (operation) => {
	it(`every item yields one clear output, and bad input sends no POST (${RUNS[operation]} batches)`, async () => {
		await fc.assert(
			fc.asyncProperty(batch, omissions, async (rows, omitted) => {
				const omit = new Set<string>(omitted);
				const postsBefore = requestCounts(emulator).posts;
				const { items, run } = await runPineItems(rows.map(rowFor), nodeParameters(operation, omit), credentials());
				expect(run.output('Pine Voice').map((item) => item.pairedItem)).toEqual(rows.map((_, i) => ({ item: i })));
				checkItems(operation, rows, omit, items, postsBefore);
			}),
			{ numRuns: RUNS[operation], seed: SEED },
		);
	}, 60_000);
});

describe('fuzzed parameters without Continue On Fail', () => {
	it(`a bad item stops the run with a NodeOperationError/NodeApiError naming the item (${RUNS.withoutContinueOnFail} batches)`, async () => {
		await fc.assert(
			fc.asyncProperty(batch, async (rows) => {
				const postsBefore = requestCounts(emulator).posts;
				const result = await runPine(pineWorkflow(rows.map(rowFor), nodeParameters('placeCall', new Set())), credentials());
				const error = result.run.data.resultData.error;
				if (!error) {
					expect(result.output('Pine Voice')).toHaveLength(rows.length);
					return;
				}
				expect(error.name).toMatch(/^Node(Operation|Api)Error$/);
				expect(error.message).toMatch(/^Item \d+: \S/);
				expect(error.message).not.toMatch(CRASH_WORDS);
				const failed = Number(/^Item (\d+):/.exec(error.message)?.[1]) - 1;
				// Every item is checked before any request: a batch stopped by bad input sent no POST at all.
				if (definitelyInvalid(rows[failed], new Set()).length > 0) expect(requestCounts(emulator).posts).toBe(postsBefore);
			}),
			{ numRuns: RUNS.withoutContinueOnFail, seed: SEED },
		);
	}, 60_000);
});

describe('fuzzed parameters: getCall', () => {
	it(`any Call ID gives one clear output; IDs that are not text send no GET (${RUNS.getCall} batches)`, async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(expressionValue, { minLength: 1, maxLength: 4 }), async (ids) => {
				emulator.controls.resetStats();
				const { items } = await runPineItems(ids.map((callId) => ({ callId })), { operation: 'getCall', callId: '={{ $json.callId }}' }, credentials());
				expect(items).toHaveLength(ids.length);
				for (const [index, item] of items.entries()) {
					expect(item.error).toMatch(new RegExp(`^Item ${index + 1}: `));
					expect(item.error).not.toMatch(CRASH_WORDS);
					const id = ids[index];
					if (blank(id) || notTextOrNumber(id) || brokenText(id)) expect(item).toMatchObject({ code: 'INVALID_INPUT', error: expect.stringContaining('Call ID') });
					else expect(item).toMatchObject({ code: 'NOT_FOUND', call_id: String(id).trim() });
				}
				const asked = ids.filter((id) => !blank(id) && !notTextOrNumber(id) && !brokenText(id)).length;
				expect(requestCounts(emulator).gets).toBe(asked);
			}),
			{ numRuns: RUNS.getCall, seed: SEED },
		);
	}, 60_000);

	// Found by this suite: a Call ID with a lone UTF-16 surrogate (JSON can carry "\ud800") threw URIError
	// "URI malformed" from encodeURIComponent, shown as "Item 1: URI malformed" with no code.
	it('a Call ID with a lone surrogate is refused as INVALID_INPUT naming the field', async () => {
		const { items } = await runPineItems([{ callId: 'abc\ud800' }], { operation: 'getCall', callId: '={{ $json.callId }}' }, credentials());
		expect(items[0]).toMatchObject({ code: 'INVALID_INPUT', error: expect.stringContaining('Call ID') });
	});
});

describe('fuzzed parameters: trigger', () => {
	// Values as an expression would hand them over (a string starting with "=" would be an expression itself).
	const raw = expressionValue.filter((value) => !(typeof value === 'string' && value.startsWith('=')));
	const triggerParameters = fc.record({
		watch: fc.oneof(fc.constantFrom('callIds', 'placedCalls'), raw),
		scope: fc.oneof(fc.constantFrom('thisWorkflow', 'allWorkflows'), raw),
		callIds: fc.oneof(fc.constantFrom('a, b', 'x\ny;z'), fc.constant(null).map(() => endedCallId), fc.constant(null).map(() => `unknown-id,\n${endedCallId}`), raw),
		statuses: fc.oneof(fc.subarray(['completed', 'failed', 'cancelled']), fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('completed', 'failed')), { maxLength: 3 }), raw),
	});

	it(`any watch, scope, call IDs and statuses: a poll emits or fails clearly (${RUNS.trigger} runs)`, async () => {
		let run = 0;
		await fc.assert(
			fc.asyncProperty(triggerParameters, async (parameters) => {
				const poller = pollerFor(`wf-fuzz-trigger-${run++}`, credentials(), parameters as INodeParameters);
				for (let poll = 0; poll < 2; poll++) {
					try {
						const items = await poller.poll();
						for (const item of items) expect(item.json).toMatchObject({ call_id: expect.any(String), status: expect.any(String) });
					} catch (error) {
						expect((error as Error).message).not.toMatch(CRASH_WORDS);
						expect((error as Error).constructor.name).toMatch(/^Node(Operation|Api)Error$/);
					}
				}
			}),
			{ numRuns: RUNS.trigger, seed: SEED },
		);
	}, 60_000);

	// Found by this suite: Statuses from an expression that is not a list (false, 5, an object) made every
	// poll that found an ended call fail with the TypeError text "statuses.includes is not a function".
	it('Statuses from an expression that is not a list gives a clear error naming the field', async () => {
		const poll = pollerFor('wf-fuzz-statuses', credentials(), { watch: 'callIds', callIds: endedCallId, statuses: 5 } as unknown as INodeParameters).poll();
		await expect(poll).rejects.toThrow(/Statuses/);
	});
});
