/**
 * Shared pieces of the reliability suites: an emulator account whose token is a sentinel (so any
 * leak is easy to find), workflow runners that record every text they see, and small waits.
 */
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { start } from '../emulator/server';
import type { EmulatorOptions, EmulatorUser, RunningEmulator } from '../emulator/types';
import { credentialTypes, nodeTypes } from '../harness/package-types';
import { triggerPoller } from '../harness/poll-trigger';
import { runWorkflow, type WorkflowJson, type WorkflowRun } from '../harness/run-workflow';
import { callFieldsFromColumns, PINE_NODE, pineWorkflow, row, triggerWorkflow } from '../workflow/pine-workflow';

export { callFieldsFromColumns, PINE_NODE, pineWorkflow, row };

/** The access token of every reliability suite: it must never show up anywhere but in request headers. */
export const SENTINEL_TOKEN = 'SENTINEL-TOKEN-reliability-5f3a9c1e7b';

export function sentinelAccount(suffix: string): EmulatorUser {
	return {
		email: `reliability-${suffix}@example.com`,
		userId: `user-reliability-${suffix}`,
		token: `${SENTINEL_TOKEN}-${suffix}`,
		credits: 100_000_000,
		subscription: true,
	};
}

/** Emulator settings that keep every cell fast: a ten-minute call lasts 100 ms, 429s ask for 50 ms. */
export const FAST_EMULATOR: EmulatorOptions = { port: 0, msPerMinute: 10, heartbeatMs: 20, retryAfterSeconds: 0.05 };

export async function startEmulator(account: EmulatorUser, options: EmulatorOptions = {}): Promise<RunningEmulator> {
	const emulator = await start({ ...FAST_EMULATOR, ...options });
	emulator.controls.addUser(account);
	return emulator;
}

export type PineCredentials = { pineVoiceApi: { accessToken: string; userId: string; gatewayUrl: string } };

export function credentialsFor(account: EmulatorUser, gatewayUrl: string, token = account.token): PineCredentials {
	return { pineVoiceApi: { accessToken: token, userId: account.userId, gatewayUrl } };
}

/** Every output, error and message the suites saw, to scan for the sentinel token at the end. */
export const seenText: string[] = [];

export function remember(...values: unknown[]): void {
	for (const value of values) {
		const text = typeof value === 'string' ? value : safeJson(value);
		// Huge outputs (fuzzed transcripts of megabytes) are checked now rather than kept.
		if (text.length > 100_000) {
			if (text.includes(SENTINEL_TOKEN)) throw new Error('the sentinel token appeared in an output');
		} else seenText.push(text);
	}
}

export function safeJson(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		return JSON.stringify(value, (_key, field: unknown) => {
			if (field instanceof Error) {
				return { name: field.name, message: field.message, stack: field.stack, ...(field as unknown as IDataObject) };
			}
			if (typeof field === 'object' && field !== null) {
				if (seen.has(field)) return '[circular]';
				seen.add(field);
			}
			return field;
		}) ?? String(value);
	} catch {
		return String(value);
	}
}

export async function runPine(workflow: WorkflowJson, credentials: PineCredentials): Promise<WorkflowRun> {
	const result = await runWorkflow(workflow, { nodeTypes, credentialTypes, credentials });
	remember(result.output(PINE_NODE), result.run.data.resultData.error, result.nodeError(PINE_NODE));
	return result;
}

/** One Pine Voice node under Continue On Fail, fed `rows`: the shape most reliability checks use. */
export async function runPineItems(
	rows: object[],
	parameters: INodeParameters,
	credentials: PineCredentials,
	workflowId?: string,
): Promise<{ items: IDataObject[]; run: WorkflowRun }> {
	const workflow = { ...pineWorkflow(rows, parameters, { continueOnFail: true }), ...(workflowId ? { id: workflowId } : {}) };
	const run = await runPine(workflow, credentials);
	const error = run.run.data.resultData.error;
	if (error) throw new Error(`the run failed despite Continue On Fail: ${error.message}`);
	return { items: run.output(PINE_NODE).map((item) => item.json), run };
}

export function pollerFor(workflowId: string, credentials: PineCredentials, parameters: INodeParameters = { watch: 'placedCalls', scope: 'thisWorkflow' }) {
	return triggerPoller(triggerWorkflow(workflowId, parameters), 'Pine Voice Trigger', { nodeTypes, credentialTypes, credentials });
}

export async function waitUntil(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

export function tempDir(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A loopback port nothing listens on: connecting to it fails before any byte is sent. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** Places a call straight through the emulator's HTTP API (not through the node), e.g. for another client. */
export async function postCallDirectly(emulator: RunningEmulator, account: EmulatorUser, phone: string): Promise<string> {
	const response = await fetch(`${emulator.url}/api/v2/voice/call`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${account.token}`, 'X-Pine-User-Id': account.userId, 'Content-Type': 'application/json' },
		body: JSON.stringify({
			dialed_number: phone,
			callee_name: 'Other client',
			callee_context: 'A call placed by another app on the same Pine account',
			call_objective: 'Confirm the appointment for next Tuesday afternoon',
			caller: 'communicator',
		}),
	});
	const body = (await response.json()) as { call_id?: string };
	if (response.status !== 200 || !body.call_id) throw new Error(`direct POST answered ${response.status}`);
	return body.call_id;
}

/** The request counters a cell asserts on. */
export function requestCounts(emulator: RunningEmulator) {
	const stats = emulator.controls.stats();
	const streams = stats.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/stream'));
	const gets = stats.requests.filter((r) => r.method === 'GET' && !r.path.endsWith('/stream'));
	const postStatuses = stats.requests.filter((r) => r.method === 'POST' && r.path === '/api/v2/voice/call').map((r) => r.status);
	return { posts: stats.postsReceived, calls: stats.callsCreated, streams: streams.length, gets: gets.length, postStatuses, streamRequests: streams };
}

/** Words that betray a crash rather than a message written for the user. */
export const CRASH_WORDS = /TypeError|ReferenceError|RangeError|SyntaxError|Cannot read prop|Cannot set prop|is not a function|is not iterable|undefined is not|null is not|Unexpected token|in JSON at position|\[object Object\]/;
