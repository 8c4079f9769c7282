/**
 * The bench's side of the Pine emulator: a dedicated account, numbers that always complete,
 * workflow runs through n8n-core, and per-call request counts from the emulator's request log.
 * Import './setup-env' before this module (it loads n8n-core).
 */
import { start } from '../../test/emulator/server';
import type { EmulatorOptions, EmulatorUser, RunningEmulator } from '../../test/emulator/types';
import { credentialTypes, nodeTypes } from '../../test/harness/package-types';
import { runWorkflow } from '../../test/harness/run-workflow';
import { callFieldsFromColumns, PINE_NODE, pineWorkflow, row } from '../../test/workflow/pine-workflow';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

export const BENCH_USER: EmulatorUser = {
	email: 'bench@example.com',
	userId: 'user-bench',
	token: 'emulator-bench-token-0001',
	credits: 1_000_000_000,
	subscription: true,
};

/** Starts an emulator with the bench account, runs `work`, and always stops the emulator. */
export async function withEmulator<T>(options: EmulatorOptions, work: (emulator: RunningEmulator) => Promise<T>): Promise<T> {
	const emulator = await start({ port: 0, ...options });
	emulator.controls.addUser(BENCH_USER);
	try {
		return await work(emulator);
	} finally {
		await emulator.stop();
	}
}

export function benchCredentials(emulator: { url: string }) {
	return { pineVoiceApi: { accessToken: BENCH_USER.token, userId: BENCH_USER.userId, gatewayUrl: emulator.url } };
}

export function clientOptions(emulator: { url: string }) {
	return { accessToken: BENCH_USER.token, userId: BENCH_USER.userId, gatewayUrl: emulator.url };
}

/**
 * A distinct, valid US number per (block 0-799, index 0-7999): exchange 200+block, line 2000+index.
 * The last four digits are never the emulator's special endings (0101-0110, 0199), so every call
 * ends `Completed`.
 */
export function benchNumber(block: number, index: number): string {
	if (block < 0 || block > 799 || index < 0 || index > 7999) throw new RangeError(`No bench number for ${block}/${index}`);
	return `+1415${200 + block}${2000 + index}`;
}

export function rows(phones: string[]): ReturnType<typeof row>[] {
	return phones.map((phone, index) => row(phone, index));
}

export interface PineRunOptions {
	operation: 'placeAndWait' | 'placeCall';
	options?: INodeParameters;
	workflowId?: string;
}

/** Runs Rows -> Pine Voice through n8n-core's WorkflowExecute; throws if the run failed. */
export async function runPineWorkflow(
	emulator: { url: string },
	phones: string[],
	{ operation, options = {}, workflowId }: PineRunOptions,
): Promise<INodeExecutionData[]> {
	const json = pineWorkflow(rows(phones), { operation, ...callFieldsFromColumns, options });
	if (workflowId) json.id = workflowId;
	const result = await runWorkflow(json, { nodeTypes, credentialTypes, credentials: benchCredentials(emulator) });
	const error = result.run.data.resultData.error;
	if (error) throw new Error(`The bench workflow failed: ${error.message}`);
	const items = result.output(PINE_NODE);
	if (items.length !== phones.length) throw new Error(`Expected ${phones.length} output items, got ${items.length}`);
	const failed = items.find((item) => item.json.error !== undefined);
	if (failed) throw new Error(`An item failed: ${String(failed.json.error)}`);
	return items;
}

/**
 * Requests that concern each call, from the emulator's request log: every POST that carried its
 * dialed number (refused ones included; numbers are unique within a bench run) and every GET or
 * stream of its id.
 */
export function requestsPerCall(emulator: RunningEmulator, callIds: string[]): number[] {
	const { requests } = emulator.controls.stats();
	const numberOf = new Map(emulator.controls.calls().map((call) => [call.callId, String(call.request.dialed_number)]));
	const postsByNumber = new Map<string, number>();
	const readsByPath = new Map<string, number>();
	for (const record of requests) {
		if (record.method === 'POST') {
			const number = String((record.body as { dialed_number?: unknown } | undefined)?.dialed_number);
			postsByNumber.set(number, (postsByNumber.get(number) ?? 0) + 1);
		} else {
			readsByPath.set(record.path, (readsByPath.get(record.path) ?? 0) + 1);
		}
	}
	return callIds.map((callId) => {
		const path = `/api/v2/voice/call/${encodeURIComponent(callId)}`;
		const posts = postsByNumber.get(numberOf.get(callId) ?? '') ?? 0;
		return posts + (readsByPath.get(path) ?? 0) + (readsByPath.get(`${path}/stream`) ?? 0);
	});
}

/** How many POSTs the emulator refused with 429 since the last resetStats(). */
export function rateLimitedPosts(emulator: RunningEmulator): number {
	return emulator.controls.stats().requests.filter((record) => record.method === 'POST' && record.status === 429).length;
}
