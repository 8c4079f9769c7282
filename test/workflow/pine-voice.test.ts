import { start } from '../emulator/server';
import type { RunningEmulator } from '../emulator/types';
import { credentialTypes, nodeTypes } from '../harness/package-types';
import { runWorkflow, startWorkflow, type WorkflowJson } from '../harness/run-workflow';
import { callFieldsFromColumns, type CallRow, PINE_NODE, pineWorkflow, row } from './pine-workflow';

const SENTINEL_TOKEN = 'SENTINEL-TOKEN-node-7d41c0';
const SENTINEL_USER = { email: 'sentinel@example.com', userId: 'user-sentinel', token: SENTINEL_TOKEN, credits: 1_000_000, subscription: true };

let emulator: RunningEmulator;
const seenText: string[] = [];

beforeAll(async () => {
	emulator = await start({ port: 0, msPerMinute: 10, heartbeatMs: 20, retryAfterSeconds: 0.05 });
	emulator.controls.addUser(SENTINEL_USER);
});
afterAll(async () => {
	await emulator.stop();
	expect(seenText.join('\n')).not.toContain(SENTINEL_TOKEN);
});
beforeEach(() => {
	emulator.controls.resetStats();
	emulator.controls.clearFaults();
});

const credentials = (accessToken = SENTINEL_TOKEN, userId = SENTINEL_USER.userId) => ({
	pineVoiceApi: { accessToken, userId, gatewayUrl: emulator.url },
});

async function run(workflow: WorkflowJson, creds = credentials()) {
	const result = await runWorkflow(workflow, { nodeTypes, credentialTypes, credentials: creds });
	seenText.push(JSON.stringify(result.output(PINE_NODE)), String(result.run.data.resultData.error?.message));
	seenText.push(JSON.stringify(result.run.data.resultData.error ?? {}));
	return result;
}

const posts = () => emulator.controls.stats().requests.filter((r) => r.method === 'POST');

describe('Place & Wait', () => {
	it('calls the number from the previous node and returns the transcript', async () => {
		const { run: execution, output } = await run(
			pineWorkflow([row('+14155550100')], { operation: 'placeAndWait', ...callFieldsFromColumns, additionalFields: { enableSummary: true, maxDurationMinutes: 10 } }),
		);

		expect(execution.data.resultData.error).toBeUndefined();
		const [item] = output(PINE_NODE);
		expect(item.json).toMatchObject({
			status: 'completed',
			dialed_number: '+14155550100',
			callee_name: 'Office 0',
			summary: expect.any(String),
			credits_charged: expect.any(Number),
		});
		expect(item.json.raw_status).toBe('Completed');
		expect(item.json.transcript).toEqual(expect.arrayContaining([expect.objectContaining({ speaker: 'agent' })]));
		expect(item.json.transcript_text).toMatch(/^agent: /);
		expect(posts()[0].body).toMatchObject({ callee_name: 'Office 0', caller: 'communicator', max_duration_minutes: 10, enable_summary: true });
	});

	it('runs a 12-row batch with at most 5 calls at once and returns results in row order', async () => {
		const rows = Array.from({ length: 12 }, (_, i) => row(`+1415555${String(2000 + i)}`, i));
		const { run: execution, output } = await run(pineWorkflow(rows, { operation: 'placeAndWait', ...callFieldsFromColumns }));

		expect(execution.data.resultData.error).toBeUndefined();
		const items = output(PINE_NODE);
		expect(items.map((item) => item.json.dialed_number)).toEqual(rows.map((r) => r.phone));
		expect(items.map((item) => item.pairedItem)).toEqual(rows.map((_, i) => ({ item: i })));
		expect(items.every((item) => item.json.status === 'completed')).toBe(true);
		const stats = emulator.controls.stats();
		expect(stats.callsCreated).toBe(12);
		expect(stats.maxConcurrency[SENTINEL_USER.userId]).toBeLessThanOrEqual(5);
		expect(stats.maxConcurrency[SENTINEL_USER.userId]).toBeGreaterThan(1);
	});

	it('waits for a free slot when 5 calls from elsewhere are in progress, then succeeds', async () => {
		const elsewhere = { email: 'busy@example.com', userId: 'user-busy', token: 'busy-token', credits: 1_000_000, subscription: true };
		emulator.controls.addUser(elsewhere);
		for (let i = 0; i < 5; i++) {
			const response = await fetch(`${emulator.url}/api/v2/voice/call`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${elsewhere.token}`, 'X-Pine-User-Id': elsewhere.userId, 'Content-Type': 'application/json' },
				body: JSON.stringify({ ...toBody(row(`+1415555${3000 + i}`)), caller: 'communicator' }),
			});
			expect(response.status).toBe(200);
		}
		emulator.controls.resetStats();

		const rows = [0, 1, 2].map((i) => row(`+1415555${3100 + i}`, i));
		const { run: execution, output } = await run(
			pineWorkflow(rows, { operation: 'placeAndWait', ...callFieldsFromColumns }),
			credentials(elsewhere.token, elsewhere.userId),
		);

		expect(execution.data.resultData.error).toBeUndefined();
		expect(output(PINE_NODE).map((item) => item.json.status)).toEqual(['completed', 'completed', 'completed']);
		const answers = emulator.controls.stats().requests.filter((r) => r.method === 'POST').map((r) => r.status);
		expect(answers).toContain(429);
		expect(answers.filter((status) => status === 200)).toHaveLength(3);
	});

	it('normalizes raw statuses and keeps what the gateway said in raw_status', async () => {
		const rows = [row('+14155550101', 0), row('+14155550102', 1), row('+14155550103', 2)];
		const { output } = await run(pineWorkflow(rows, { operation: 'placeAndWait', ...callFieldsFromColumns }));

		expect(output(PINE_NODE).map((item) => [item.json.status, item.json.raw_status])).toEqual([
			['completed', 'HungupByPeer'],
			['failed', 'NoAnswer'],
			['cancelled', 'Cancelled'],
		]);
	});

	it('stops within a second when the execution is cancelled', async () => {
		emulator.controls.scriptNumber('+14155554444', { durationSeconds: 120 * 60 });
		const started = startWorkflow(
			pineWorkflow([row('+14155554444')], { operation: 'placeAndWait', ...callFieldsFromColumns, additionalFields: { maxDurationMinutes: 120 } }),
			{ nodeTypes, credentialTypes, credentials: credentials() },
		);
		await waitUntil(() => emulator.controls.stats().callsCreated === 1);
		const cancelledAt = Date.now();
		started.cancel();
		await started.result.catch(() => undefined);
		expect(Date.now() - cancelledAt).toBeLessThan(1000);
	});
});

describe('Place Call and Get Call', () => {
	it('places a call at once and Get Call reads it by the id from the previous node', async () => {
		const placed = await run(pineWorkflow([row('+14155550100')], { operation: 'placeCall', ...callFieldsFromColumns, options: { registerForTrigger: false } }));
		const [item] = placed.output(PINE_NODE);
		expect(item.json).toMatchObject({ call_id: expect.any(String), status: 'in_progress', dialed_number: '+14155550100', callee_name: 'Office 0', placed_at: expect.any(String) });

		await waitUntil(() => emulator.controls.stats().completions[String(item.json.call_id)] !== undefined);
		const got = await run(pineWorkflow([item.json], { operation: 'getCall', callId: '={{ $json.call_id }}' }));
		expect(got.run.data.resultData.error).toBeUndefined();
		expect(got.output(PINE_NODE)[0].json).toMatchObject({ call_id: item.json.call_id, status: 'completed', transcript_text: expect.any(String) });
	});

	it('reads a national number with the default country and sends it to Pine in E.164', async () => {
		await run(
			pineWorkflow([row('(415) 555-0100')], { operation: 'placeCall', ...callFieldsFromColumns, options: { defaultCountry: 'US', registerForTrigger: false } }),
		);
		expect(posts().map((post) => (post.body as { dialed_number: string }).dialed_number)).toEqual(['+14155550100']);
	});

	it('says how to fix an expired token', async () => {
		emulator.controls.addUser({ ...SENTINEL_USER, userId: 'user-expired', token: `${SENTINEL_TOKEN}-expired` });
		emulator.controls.expireToken(`${SENTINEL_TOKEN}-expired`);
		const { run: execution } = await run(
			pineWorkflow([{ id: 'x' }], { operation: 'getCall', callId: 'some-call' }),
			credentials(`${SENTINEL_TOKEN}-expired`, 'user-expired'),
		);
		const error = execution.data.resultData.error as { message: string; description?: string; httpCode?: string } | undefined;
		expect(error?.message).toMatch(/expired/i);
		expect(error?.description).toMatch(/Pine Voice Auth/);
		expect(error?.httpCode).toBe('401');
		expect(JSON.stringify(error)).not.toContain(SENTINEL_TOKEN);
	});
});

const validRow = row('+14155550100');
const badInputs: Array<[string, Record<string, unknown>, Record<string, unknown>, RegExp]> = [
	['an empty phone number', { phone: '' }, {}, /Item 1: Phone Number is empty/],
	['letters instead of a number', { phone: 'call me maybe' }, {}, /Item 1: Phone Number: "call me maybe" is not a phone number/],
	['a national number without a default country', { phone: '(415) 555-0100' }, {}, /Item 1: Phone Number: .*no country code.*Default Country/],
	['a number in an unsupported region', { phone: '+4930123456' }, {}, /Item 1: Phone Number: .*region Pine Voice does not call.*United States/],
	['a premium-rate number', { phone: '+19005550100' }, {}, /Item 1: Phone Number: .*premium-rate/],
	['a number too short to be real', { phone: '+1415' }, {}, /Item 1: Phone Number: .*not a valid phone number/],
	['an empty callee name', { name: '' }, {}, /Item 1: Callee Name is empty/],
	['an empty callee context', { context: '   ' }, {}, /Item 1: Callee Context is empty/],
	['an empty objective', { objective: '' }, {}, /Item 1: Call Objective is empty/],
	['an object where text belongs', { name: { first: 'Ann' } }, {}, /Item 1: Callee Name must be text/],
	['a negotiator without instructions', {}, { caller: 'negotiator' }, /Item 1: Detailed Instructions are required when Caller is Negotiator/],
	['a duration of 0 minutes', {}, { additionalFields: { maxDurationMinutes: 0 } }, /Item 1: Max Duration \(Minutes\) must be a whole number from 1 to 120/],
	['a duration of 121 minutes', {}, { additionalFields: { maxDurationMinutes: 121 } }, /Item 1: Max Duration .* not 121/],
	['a fractional duration', {}, { additionalFields: { maxDurationMinutes: 2.5 } }, /Item 1: Max Duration .* not 2\.5/],
	['an unknown caller from an expression', { caller_type: 'boss' }, { caller: '={{ $json.caller_type }}' }, /Item 1: Caller must be one of communicator, negotiator/],
	['an unknown voice', {}, { additionalFields: { voice: 'robot' } }, /Item 1: Voice must be one of female, male/],
	['a default country Pine does not serve', { phone: '030 123456' }, { options: { defaultCountry: 'DE' } }, /Item 1: Default Country "DE" is not a region/],
];

describe('bad input is refused before any call is placed', () => {
	it.each(badInputs)('%s', async (_name, rowChanges, parameterChanges, message) => {
		const { run: execution } = await run(
			pineWorkflow([{ ...validRow, ...rowChanges }], { operation: 'placeAndWait', ...callFieldsFromColumns, ...parameterChanges }),
		);
		expect(execution.data.resultData.error?.message).toMatch(message);
		expect(emulator.controls.stats().postsReceived).toBe(0);
	});

	it('under Continue On Fail gives one error item per bad row, paired, and places the good rows', async () => {
		const rows = [validRow, ...badInputs.filter(([, , parameters]) => Object.keys(parameters).length === 0).map(([, changes]) => ({ ...validRow, ...changes }))];
		const { run: execution, output } = await run(
			pineWorkflow(rows, { operation: 'placeAndWait', ...callFieldsFromColumns }, { continueOnFail: true }),
		);

		expect(execution.data.resultData.error).toBeUndefined();
		const items = output(PINE_NODE);
		expect(items).toHaveLength(rows.length);
		expect(items.map((item) => item.pairedItem)).toEqual(rows.map((_, i) => ({ item: i })));
		expect(items[0].json.status).toBe('completed');
		for (const [index, item] of items.slice(1).entries()) {
			expect(item.json).toMatchObject({ error: expect.stringContaining(`Item ${index + 2}:`), code: 'INVALID_INPUT' });
		}
		expect(emulator.controls.stats().postsReceived).toBe(1);
	});
});

function toBody(r: CallRow) {
	return { dialed_number: r.phone, callee_name: r.name, callee_context: r.context, call_objective: r.objective };
}

async function waitUntil(condition: () => boolean, timeoutMs = 5000) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
