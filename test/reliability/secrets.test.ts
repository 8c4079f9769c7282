/**
 * The access token is a secret: with a sentinel token, run every path (results, Pine errors,
 * faults, a gateway that echoes the token back, the trigger, the registry, the credential test,
 * Pine Voice Auth) with n8n's logger at debug level, then look for the token in every output,
 * every error (message, description, JSON, stack), every log line n8n printed or wrote, and
 * every file under the n8n user folder. Also: configured URLs must be plain http(s) addresses.
 */
import { logFile, registryDir, userFolder } from './debug-logging'; // first: sets up n8n's logger

import fs from 'node:fs';
import path from 'node:path';

import type { ICredentialTestFunctions } from 'n8n-workflow';

import { testPineVoiceCredential } from '../../nodes/adapters/credential-test';
import type { RunningEmulator } from '../emulator/types';
import { credentialTypes, nodeTypes } from '../harness/package-types';
import { runWorkflow } from '../harness/run-workflow';
import { startScriptedServer, TOKEN_PLACEHOLDER, type ScriptedServer } from './scripted-server';
import {
	callFieldsFromColumns,
	closedPort,
	credentialsFor,
	pineWorkflow,
	PINE_NODE,
	pollerFor,
	remember,
	requestCounts,
	row,
	runPine,
	runPineItems,
	safeJson,
	seenText,
	SENTINEL_TOKEN,
	sentinelAccount,
	startEmulator,
	waitUntil,
} from './support';

const ACCOUNT = sentinelAccount('secrets');
const EXPIRED = `${ACCOUNT.token}-expired`;
/** Tokens Pine Voice Auth minted in this run: as secret as the sentinel. */
const mintedTokens: string[] = [];
const captured: string[] = [];
const restores: Array<() => void> = [];

let emulator: RunningEmulator;
let echoServer: ScriptedServer;

/** Captures everything written to stdout/stderr and through console (where winston's console transport writes). */
function captureOutput() {
	const consoleStreams = console as unknown as { _stdout?: NodeJS.WriteStream; _stderr?: NodeJS.WriteStream };
	const streams = new Set([process.stdout, process.stderr, consoleStreams._stdout, consoleStreams._stderr].filter(Boolean) as NodeJS.WriteStream[]);
	for (const stream of streams) {
		const write = stream.write.bind(stream);
		stream.write = ((chunk: unknown, ...rest: unknown[]) => {
			const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
			captured.push(text);
			// n8n's debug log lines are kept for the scan, not shown: they would flood the test output.
			if (text.startsWith('{"level"')) return true;
			return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
		}) as typeof stream.write;
		restores.push(() => (stream.write = write as typeof stream.write));
	}
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		const original = console[method];
		console[method] = (...args: unknown[]) => {
			const text = args.map((arg) => (typeof arg === 'string' ? arg : safeJson(arg))).join(' ');
			captured.push(text);
			if (text.startsWith('secrets:')) original.call(console, text);
		};
		restores.push(() => (console[method] = original));
	}
}

beforeAll(async () => {
	captureOutput();
	emulator = await startEmulator(ACCOUNT);
	emulator.controls.addUser({ ...ACCOUNT, token: EXPIRED });
	emulator.controls.expireToken(EXPIRED);
	echoServer = await startScriptedServer();
});

afterAll(async () => {
	await emulator.stop();
	await echoServer.stop();
	for (const restore of restores.reverse()) restore();
	fs.rmSync(userFolder, { recursive: true, force: true });
});

const credentials = (token = ACCOUNT.token) => credentialsFor(ACCOUNT, emulator.url, token);
const placeAndWait = { operation: 'placeAndWait', ...callFieldsFromColumns, additionalFields: { enableSummary: true }, options: { waitTimeoutMinutes: 0.1, pollIntervalSeconds: 1 } };

describe('the sentinel token never leaves the request headers', () => {
	it('Place & Wait, Place Call (registered), Get Call, the trigger and dedupe keys, at debug level', async () => {
		const { items } = await runPineItems([row('+14155550100'), row('+14155550102', 1)], placeAndWait, credentials());
		expect(items.map((item) => item.status)).toEqual(['completed', 'failed']);

		const trigger = pollerFor('wf-secrets', credentials(), { watch: 'placedCalls', scope: 'thisWorkflow' });
		await trigger.poll();
		const placed = await runPineItems([{ ...row('+14155550107'), key: 'row-7' }], { operation: 'placeCall', ...callFieldsFromColumns, options: { dedupeKey: '={{ $json.key }}' } }, credentials(), 'wf-secrets');
		const callId = String(placed.items[0].call_id);
		await waitUntil(() => emulator.controls.stats().completions[callId] !== undefined);
		remember(await trigger.poll(), await trigger.poll('manual'));
		const again = await runPineItems([{ ...row('+14155550107'), key: 'row-7' }], { operation: 'placeCall', ...callFieldsFromColumns, options: { dedupeKey: '={{ $json.key }}' } }, credentials(), 'wf-secrets');
		expect(again.items[0]).toMatchObject({ call_id: callId, deduplicated: true });

		await runPineItems([{ id: callId }, { id: 'no-such-call' }], { operation: 'getCall', callId: '={{ $json.id }}' }, credentials());
	});

	it('Pine errors and faults, with and without Continue On Fail', async () => {
		await runPine(pineWorkflow([{ id: 'x' }], { operation: 'getCall', callId: 'x' }), credentials(EXPIRED));
		await runPine(pineWorkflow([row('+14155550100')], placeAndWait), credentials(EXPIRED));
		await expect(pollerFor('wf-secrets-ids', credentials(EXPIRED), { watch: 'callIds', callIds: 'some-call' }).poll()).rejects.toThrow(/expired/i);

		emulator.controls.faults({ resetAfterPost: 1, dropStreams: 2, error500: { count: 3, method: 'GET' } });
		await runPineItems([row('+14155550200'), row('+14155550201', 1)], placeAndWait, credentials());
		emulator.controls.faults({ nonJson502: { count: 1, method: 'POST' } });
		await runPine(pineWorkflow([row('+14155550202')], placeAndWait), credentials());
		emulator.controls.faults({ error500: { count: 100, method: 'GET' } });
		await runPine(pineWorkflow([{}], { operation: 'getCall', callId: 'x' }), credentials());
		emulator.controls.clearFaults();

		const unreachable = `http://127.0.0.1:${await closedPort()}`;
		await runPine(pineWorkflow([{}], { operation: 'getCall', callId: 'x' }), credentialsFor(ACCOUNT, unreachable));
		await runPine(pineWorkflow([row('+14155550203')], { ...placeAndWait, operation: 'placeCall' }), credentialsFor(ACCOUNT, unreachable));
		await runPine(pineWorkflow([{}], { operation: 'getCall', callId: 'x' }), { pineVoiceApi: { accessToken: `${ACCOUNT.token} with spaces`, userId: ACCOUNT.userId, gatewayUrl: emulator.url } });
	});

	it('a gateway that echoes the token in error pages, JSON errors, results and the stream', async () => {
		const echo = credentialsFor(ACCOUNT, echoServer.url);
		const page = `<html><body>Bad token ${TOKEN_PLACEHOLDER}</body></html>`;
		echoServer.script({ get: [{ kind: 'http', status: 401, headers: { 'content-type': 'text/html', 'x-echo': TOKEN_PLACEHOLDER }, body: page }] });
		await runPine(pineWorkflow([{}], { operation: 'getCall', callId: 'x' }), echo);
		echoServer.script({ get: [{ kind: 'http', status: 403, body: JSON.stringify({ error: { code: 'ACCESS_DENIED', message: `token ${TOKEN_PLACEHOLDER} denied` } }) }] });
		await runPineItems([{}], { operation: 'getCall', callId: 'x' }, echo);
		echoServer.script({ post: [{ kind: 'http', status: 400, body: JSON.stringify({ error: { code: 'INVALID_REQUEST', message: `bad ${TOKEN_PLACEHOLDER}` } }) }] });
		await runPineItems([row('+14155550100')], { ...placeAndWait, operation: 'placeCall', options: { registerForTrigger: false } }, echo);
		echoServer.script({
			stream: [{ kind: 'sse', chunks: [`: ${TOKEN_PLACEHOLDER}\n\n`, `id: ${TOKEN_PLACEHOLDER}\nevent: result\ndata: {"status":"completed","summary":"${TOKEN_PLACEHOLDER}","transcript":[{"speaker":"agent","text":"${TOKEN_PLACEHOLDER}"}]}\n\n`], end: 'end' }],
		});
		const { items } = await runPineItems([row('+14155550100')], placeAndWait, echo);
		expect(items[0]).toMatchObject({ status: 'completed', summary: '[redacted]' });
		echoServer.script({ stream: [{ kind: 'sse', chunks: [`id: ${TOKEN_PLACEHOLDER}\n\n`], end: 'reset' }, { kind: 'reset' }], get: [{ kind: 'http', status: 500, body: `oops ${TOKEN_PLACEHOLDER}` }] });
		await runPineItems([row('+14155550100')], placeAndWait, echo);
		// The reconnect sent the last event id back: it held the token, so it must have been redacted first.
		expect(echoServer.received().filter((request) => request.route === 'stream').length).toBeGreaterThanOrEqual(1);
	});

	it('the credential test and Pine Voice Auth', async () => {
		const context = {} as ICredentialTestFunctions;
		const test = (data: Record<string, string>) => testPineVoiceCredential.call(context, { id: 'c', name: 'Pine', type: 'pineVoiceApi', data }).catch((error: unknown) => error);
		remember(
			await test({ accessToken: ACCOUNT.token, userId: ACCOUNT.userId, gatewayUrl: emulator.url }),
			await test({ accessToken: EXPIRED, userId: ACCOUNT.userId, gatewayUrl: emulator.url }),
			await test({ accessToken: ACCOUNT.token, userId: 'someone-else', gatewayUrl: emulator.url }),
			await test({ accessToken: ACCOUNT.token, userId: ACCOUNT.userId, gatewayUrl: `http://user:${ACCOUNT.token}@127.0.0.1:1` }),
		);

		const auth = (parameters: Record<string, unknown>) =>
			runWorkflow(
				{
					nodes: [
						{ id: 'a', name: 'Pine Voice Auth', type: 'n8n-nodes-pine-voice.pineVoiceAuth', typeVersion: 1, position: [0, 0], parameters: { ...parameters, options: { authUrl: emulator.url } } },
					],
					connections: {},
				},
				{ nodeTypes, credentialTypes },
			);
		const requested = await auth({ operation: 'requestCode', email: ACCOUNT.email });
		const requestToken = String(requested.output('Pine Voice Auth')[0].json.request_token);
		remember(await auth({ operation: 'verifyCode', email: ACCOUNT.email, requestToken, code: '000000' }).then((run) => run.run.data.resultData.error));
		const verified = await auth({ operation: 'verifyCode', email: ACCOUNT.email, requestToken, code: emulator.controls.lastCode(ACCOUNT.email) });
		const output = verified.output('Pine Voice Auth')[0].json;
		expect(output).toMatchObject({ user_id: ACCOUNT.userId, access_token: expect.any(String) });
		// The minted token is the point of this output; it must appear nowhere else.
		mintedTokens.push(String(output.access_token));
	});

});

describe('configured URLs are plain http(s) addresses without credentials', () => {
	const PASSWORD = 'URLPASSWORD-9d2e';
	/** Each with `PORT` standing for the emulator's port, so a URL that slipped through would reach it. */
	const badUrls = ['ftp://127.0.0.1:PORT/pine', 'javascript:alert(1)', `http://urluser:${PASSWORD}@127.0.0.1:PORT`, 'file:///etc/passwd', `http://:${PASSWORD}@127.0.0.1:PORT`, `https://urluser@127.0.0.1:PORT`, 'not a url'];
	const withPort = (url: string) => url.replace('PORT', String(emulator.port));

	it.each(badUrls)('Pine Voice Auth refuses the auth URL %s, per item, before any request', async (url) => {
		emulator.controls.resetStats();
		const { run, output } = await runWorkflow(
			{
				nodes: [{ id: 'a', name: 'Pine Voice Auth', type: 'n8n-nodes-pine-voice.pineVoiceAuth', typeVersion: 1, position: [0, 0], parameters: { operation: 'requestCode', email: ACCOUNT.email, options: { authUrl: withPort(url) } }, onError: 'continueRegularOutput' }],
				connections: {},
			},
			{ nodeTypes, credentialTypes },
		);
		expect(run.data.resultData.error).toBeUndefined();
		expect(output('Pine Voice Auth')).toEqual([{ json: { error: expect.stringMatching(/^Item 1: The Pine auth URL (must|is not)/), code: 'INVALID_URL' }, pairedItem: { item: 0 } }]);
		expect(JSON.stringify(output('Pine Voice Auth'))).not.toContain(PASSWORD);
		expect(emulator.controls.stats().requests).toHaveLength(0);
	});

	it.each(badUrls)('the Pine Voice node refuses the gateway URL %s before any request, without echoing it', async (url) => {
		emulator.controls.resetStats();
		const { run } = await runPine(pineWorkflow([row('+14155550100')], { ...placeAndWait, operation: 'placeCall' }), credentialsFor(ACCOUNT, withPort(url)));
		const error = run.data.resultData.error;
		expect(error?.message).toMatch(/The Pine gateway URL (must|is not)/);
		expect(safeJson(error)).not.toContain(PASSWORD);
		expect(emulator.controls.stats().requests).toHaveLength(0);
		expect(requestCounts(emulator).posts).toBe(0);
	});

	it.each(badUrls)('the credential test refuses the gateway URL %s', async (url) => {
		emulator.controls.resetStats();
		const result = await testPineVoiceCredential
			.call({} as ICredentialTestFunctions, { id: 'c', name: 'Pine', type: 'pineVoiceApi', data: { accessToken: ACCOUNT.token, userId: ACCOUNT.userId, gatewayUrl: withPort(url) } })
			.catch((error: Error) => ({ thrown: error.message }));
		remember(result);
		expect(JSON.stringify(result)).toMatch(/gateway URL/);
		expect(JSON.stringify(result)).not.toContain(PASSWORD);
		expect(emulator.controls.stats().requests).toHaveLength(0);
	});

	// Found by this suite: a credential the client refuses (gateway URL, empty token) threw a bare
	// PineVoiceError from execute(): under Continue On Fail the run still failed, and the hint was lost.
	it('a refused gateway URL under Continue On Fail gives one INVALID_URL error item per input item', async () => {
		const { run, output } = await runPine(
			pineWorkflow([row('+14155550100'), row('+14155550101', 1)], { ...placeAndWait, operation: 'placeCall' }, { continueOnFail: true }),
			credentialsFor(ACCOUNT, 'ftp://127.0.0.1/pine'),
		);
		expect(run.data.resultData.error).toBeUndefined();
		expect(output(PINE_NODE).map((item) => item.json.code)).toEqual(['INVALID_URL', 'INVALID_URL']);
	});

	it('a refused gateway URL without Continue On Fail is a node error carrying the hint', async () => {
		const { run } = await runPine(pineWorkflow([row('+14155550100')], { ...placeAndWait, operation: 'placeCall' }), credentialsFor(ACCOUNT, 'ftp://127.0.0.1/pine'));
		expect((run.data.resultData.error as { description?: string }).description).toMatch(/Pine code: INVALID_URL/);
	});

	// Found by this suite: the credential test threw (instead of answering Error) for a refused gateway URL.
	it('the credential test answers Error (it does not throw) for a refused gateway URL', async () => {
		const result = await testPineVoiceCredential.call({} as ICredentialTestFunctions, {
			id: 'c',
			name: 'Pine',
			type: 'pineVoiceApi',
			data: { accessToken: ACCOUNT.token, userId: ACCOUNT.userId, gatewayUrl: 'ftp://127.0.0.1/pine' },
		});
		expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(/gateway URL/) });
	});
});

describe('finally', () => {
	it('appears in no output, error, log line or file', async () => {
		// Let winston's file stream flush.
		await new Promise((resolve) => setTimeout(resolve, 300));
		const logText = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
		const printed = captured.join('');
		// The capture is not vacuous: the node's own debug lines went through n8n's logger.
		expect(`${printed}\n${logText}`).toMatch(/Pine POST \/api\/v2\/voice\/call -> 200/);
		expect(logText).toMatch(/Pine GET \/api\/v2\/voice\/call\/.* -> 401/);

		const files = listFiles(userFolder);
		expect(files.some((file) => file.startsWith(registryDir))).toBe(true);
		const fileText = files.map((file) => `${file}\n${fs.readFileSync(file, 'utf8')}`).join('\n');

		for (const secret of [SENTINEL_TOKEN, ...mintedTokens]) {
			expect(seenText.join('\n')).not.toContain(secret);
			expect(printed).not.toContain(secret);
			expect(logText).not.toContain(secret);
			expect(fileText).not.toContain(secret);
		}
		console.info(`secrets: scanned ${seenText.length} outputs/errors, ${printed.length + logText.length} bytes of logs, ${files.length} files`);
	});
});

function listFiles(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? listFiles(full) : entry.isFile() ? [full] : [];
	});
}
