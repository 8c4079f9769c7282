/**
 * End-to-end: a real n8n 2.41 (Node 24) with the packed package installed the way n8n's
 * community installer does, the example workflows imported and run headless (`n8n execute`)
 * against the Pine emulator, the trigger example published in `n8n start`, and the AI agent
 * example run with a scripted OpenAI-compatible model. Run with `npm run test:e2e`
 * (scripts/e2e/run.sh installs n8n and builds first). Node's test runner, one n8n user folder
 * in a temp dir for the whole suite: the tests run in order and share it.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { start } from '../emulator/server';
import { DEMO_USER, type RunningEmulator } from '../emulator/types';
import {
	EXAMPLES_DIR,
	exampleFiles,
	findNode,
	forInstance,
	loadExample,
	parseCsv,
	parseCsvRows,
	PINE_CREDENTIAL_TYPE,
	type Workflow,
} from './lib/examples';
import { startFakeOpenAi } from './lib/fake-openai';
import { packAndInstall, PACKAGE_NAME, type InstalledPackage } from './lib/install-package';
import { N8n, n8nInstallFromEnv, nodeOutput, type ExecuteResult } from './lib/n8n';
import { makeTempDir, removeDir, sleep, tail, waitFor } from './lib/process';

const CREDENTIAL = { id: 'pineVoiceE2E0001', name: 'Pine Voice (emulator)' };
const BAD_CREDENTIAL = { id: 'pineVoiceE2EBad1', name: 'Pine Voice (unknown token)' };
const UNKNOWN_TOKEN = 'e2e-unknown-token-5b1f0c';
const OPENAI_CREDENTIAL = { id: 'openAiE2EFake001', name: 'Scripted model (e2e)' };

/** How the emulator ends each row of examples/calls.csv (by the number's last four digits). */
const EXPECTED_CALLS = [
	{ name: 'Bella Dental', phone: '+14155550100', status: 'completed', raw_status: 'Completed' },
	{ name: "Luigi's Trattoria", phone: '+14155550101', status: 'completed', raw_status: 'HungupByPeer' },
	{ name: 'Sunset Plumbing', phone: '+14155550102', status: 'failed', raw_status: 'NoAnswer' },
	{ name: 'FastNet Internet', phone: '+14155550107', status: 'completed', raw_status: 'Timeout' },
	{ name: 'Kensington Garden Hotel', phone: '+442079460106', status: 'failed', raw_status: 'Declined' },
	{ name: 'Harbour Vet Clinic', phone: '+61298760100', status: 'completed', raw_status: 'Completed' },
];

const root = makeTempDir('pine-voice-e2e-');
const filesDir = join(root, 'files');
let emulator: RunningEmulator;
let n8n: N8n;
let installed: InstalledPackage & { tarball: string };
let exportedTypes: Array<{ name: string; displayName: string }> = [];
const imported = new Map<string, Workflow>();
let placedCallIds: string[] = [];

function example(file: string): Workflow {
	return forInstance(loadExample(file), {
		filesDir,
		credential: CREDENTIAL,
		authUrl: emulator.url,
		email: DEMO_USER.email,
	});
}

function assertSucceeded(result: ExecuteResult): asserts result is ExecuteResult & { run: NonNullable<ExecuteResult['run']> } {
	const error = result.run?.data.resultData.error;
	assert.equal(
		result.exitCode,
		0,
		`n8n execute exited ${result.code ?? result.signal}: ${error?.message ?? ''}\n${tail(result.stdout)}\n${tail(result.stderr)}`,
	);
	assert.ok(result.run, `no run data in the output of n8n execute:\n${tail(result.stdout)}`);
	assert.equal(error, undefined);
}

async function importWorkflow(workflow: Workflow): Promise<void> {
	await n8n.importWorkflow(workflow);
	imported.set(workflow.id, workflow);
}

describe('n8n-nodes-pine-voice in a real n8n', () => {
	before(async () => {
		const install = n8nInstallFromEnv();
		emulator = await start({ port: 0, msPerMinute: 10, heartbeatMs: 50 });
		n8n = new N8n(install, { userFolder: join(root, 'user'), filesDir });
		await n8n.init();
		installed = await packAndInstall(join(root, 'user'));
		// The emulator's seeded demo user: a fake account. The temp import file is deleted at once.
		await n8n.importCredentials([
			{
				...CREDENTIAL,
				type: PINE_CREDENTIAL_TYPE,
				data: { accessToken: DEMO_USER.token, userId: DEMO_USER.userId, gatewayUrl: emulator.url },
			},
			{
				...BAD_CREDENTIAL,
				type: PINE_CREDENTIAL_TYPE,
				data: { accessToken: UNKNOWN_TOKEN, userId: DEMO_USER.userId, gatewayUrl: emulator.url },
			},
		]);
	});

	after(async () => {
		await n8n?.stop();
		await emulator?.stop();
		if (n8n?.exitCrashes) {
			console.log(
				`note: n8n execute crashed (SIGSEGV) while exiting ${n8n.exitCrashes} time(s), after printing a complete result; ` +
					'seen in about 1 run in 10 with n8n 2.41.1 on Node 24, Pine nodes or not, and not with N8N_EXPRESSION_ENGINE=legacy; such runs are judged by the printed result',
			);
		}
		if (n8n) {
			const log = join(tmpdir(), 'pine-voice-e2e-n8n.log');
			writeFileSync(log, n8n.allOutput());
			console.log(`n8n output of this run: ${log}`);
		}
		if (process.env.PINE_VOICE_E2E_KEEP === '1') console.log(`kept ${root}`);
		else removeDir(root);
	});

	describe('package install', () => {
		test('the packed package installs like n8n installs community packages, runtime deps only', () => {
			assert.match(installed.tarball, new RegExp(`^${PACKAGE_NAME}-\\d+\\.\\d+\\.\\d+.*\\.tgz$`));
			for (const dependency of ['undici', 'eventsource-parser', 'libphonenumber-js']) {
				assert.ok(installed.dependencies.includes(dependency), `${dependency} is not installed`);
			}
			for (const devOnly of ['n8n-workflow', 'n8n-core', 'typescript', 'jest']) {
				assert.ok(!installed.dependencies.includes(devOnly), `${devOnly} was installed`);
			}
			const packageJson = JSON.parse(readFileSync(join(installed.directory, 'package.json'), 'utf8'));
			assert.equal(packageJson.devDependencies, undefined);
			assert.equal(packageJson.peerDependencies, undefined);
			for (const file of [...packageJson.n8n.nodes, ...packageJson.n8n.credentials] as string[]) {
				assert.ok(existsSync(join(installed.directory, file)), `${file} is listed in package.json "n8n" but not packed`);
			}
			assert.ok(!existsSync(join(installed.directory, 'test')), 'test/ was packed');
			const ledger = JSON.parse(readFileSync(join(n8n.options.userFolder, '.n8n', 'nodes', 'package.json'), 'utf8'));
			assert.deepEqual(ledger.dependencies, { [PACKAGE_NAME]: installed.version });
		});

		test('n8n loads every Pine node and the Pine Voice tool, but offers no Auth tool that would hand a token to a model', async () => {
			const output = join(root, 'nodes.json');
			const result = await n8n.cli(['export:nodes', `--output=${output}`]);
			assert.equal(result.code, 0, tail(result.stdout + result.stderr));
			await waitFor('nodes.json', () => existsSync(output) && readFileSync(output, 'utf8').trimEnd().endsWith(']'), {
				timeoutMs: 10_000,
			});
			exportedTypes = JSON.parse(readFileSync(output, 'utf8'));
			const ours = exportedTypes.filter((type) => type.name.startsWith(`${PACKAGE_NAME}.`)).map((type) => type.name);
			assert.deepEqual(ours.sort(), [
				`${PACKAGE_NAME}.pineVoice`,
				`${PACKAGE_NAME}.pineVoiceAuth`,
				`${PACKAGE_NAME}.pineVoiceTool`,
				`${PACKAGE_NAME}.pineVoiceTrigger`,
			]);
			assertNoLoadErrors();
		});
	});

	describe('examples', () => {
		test('every example workflow imports', async () => {
			const files = exampleFiles();
			assert.deepEqual(files, [
				'ai-agent-tool.json',
				'batch-calls.json',
				'call-results-trigger.json',
				'scheduled-calls.json',
				'sign-in.json',
			]);
			const workflows = files.map((file) => {
				const workflow = example(file);
				assert.ok(workflow.id, `${file} has no id`);
				assert.ok(
					workflow.nodes.some((node) => node.type === 'n8n-nodes-base.stickyNote'),
					`${file} has no sticky note`,
				);
				return workflow;
			});
			await n8n.importWorkflows(workflows);
			for (const workflow of workflows) imported.set(workflow.id, workflow);
			const list = await n8n.cli(['list:workflow']);
			for (const workflow of imported.values()) assert.match(list.stdout, new RegExp(`^${workflow.id}\\|`, 'm'));
			// Every node type an example uses exists in this n8n (the AI agent one too: it only imports here).
			const known = new Set(exportedTypes.map((type) => type.name));
			for (const workflow of imported.values()) {
				for (const node of workflow.nodes) assert.ok(known.has(node.type), `${workflow.id}: unknown node type ${node.type}`);
			}
		});

		test('sign-in.json: Request Code answers a request token; Verify Code with the emailed code signs in', async () => {
			const result = await n8n.execute('pineVoiceSignIn1');
			assertSucceeded(result);
			const [item] = nodeOutput(result.run, 'Request Code');
			assert.equal(item.email, DEMO_USER.email);
			assert.equal(typeof item.request_token, 'string');
			assert.ok((item.request_token as string).length > 8);

			// Step 2 as the sticky note explains it: Verify Code with the emailed code.
			const verify = example('sign-in.json');
			verify.id = 'pineVoiceSignIn2';
			verify.name += ' (verify step, e2e)';
			findNode(verify, 'Request Code').disabled = true;
			const verifyNode = findNode(verify, 'Verify Code');
			verifyNode.disabled = false;
			verifyNode.parameters.email = DEMO_USER.email;
			verifyNode.parameters.requestToken = item.request_token;
			verifyNode.parameters.code = emulator.controls.lastCode(DEMO_USER.email);
			await importWorkflow(verify);
			const verified = await n8n.execute(verify.id);
			assertSucceeded(verified);
			const [account] = nodeOutput(verified.run, 'Verify Code');
			assert.equal(account.user_id, DEMO_USER.userId);
			assert.equal(account.email, DEMO_USER.email);
			assert.equal(typeof account.access_token, 'string');
		});

		test('batch-calls.json: calls every CSV row and writes a results CSV in row order', async () => {
			// The example list, plus a row Pine cannot call: it gets an error column, the batch goes on.
			const csv = readFileSync(join(EXAMPLES_DIR, 'calls.csv'), 'utf8').trimEnd();
			writeFileSync(
				join(filesDir, 'calls.csv'),
				`${csv}\n+33 1 23 45 67 89,Paris Office,Office in Paris.,Ask for the opening hours next week,communicator,\n`,
			);
			const before = emulator.controls.stats();
			const result = await n8n.execute('pineBatchCalls01', 180_000);
			assertSucceeded(result);

			const rows = parseCsv(readFileSync(join(filesDir, 'call-results.csv'), 'utf8'));
			assert.deepEqual(
				rows.map(({ name, phone, status, raw_status }) => ({ name, phone, status, raw_status })),
				[...EXPECTED_CALLS, { name: 'Paris Office', phone: '+33 1 23 45 67 89', status: 'error', raw_status: '' }],
			);
			const refused = rows.pop();
			assert.match(String(refused?.error), /region|France|\bFR\b/i);
			assert.equal(refused?.call_id, '');
			for (const row of rows) {
				assert.equal(row.error, '', `${row.name}: ${row.error}`);
				assert.match(row.call_id, /\S/);
				if (row.status === 'completed') {
					assert.ok(Number(row.duration_seconds) > 0, `${row.name}: no duration`);
					assert.ok(Number(row.credits_charged) >= 50, `${row.name}: no credits`);
					assert.match(row.summary, /\S/, `${row.name}: no summary`);
					assert.match(row.transcript, /^agent: /m, `${row.name}: no transcript`);
				}
			}

			const stats = emulator.controls.stats();
			assert.equal(stats.callsCreated - before.callsCreated, EXPECTED_CALLS.length);
			assert.ok(stats.maxConcurrency[DEMO_USER.userId] <= 5);
			const posts = stats.requests.filter((request) => request.method === 'POST' && request.path === '/api/v2/voice/call');
			const negotiator = posts.find((request) => (request.body as { callee_name?: string })?.callee_name === 'FastNet Internet');
			assert.ok(negotiator, 'no call to FastNet Internet');
			assert.equal((negotiator.body as { caller?: string }).caller, 'negotiator');
			assert.match(String((negotiator.body as { detailed_instructions?: string }).detailed_instructions), /\$60/);
		});

		test('call-results-trigger.json: published in `n8n start`, it starts watching', async () => {
			const published = await n8n.cli(['publish:workflow', '--id=pineCallResults1']);
			assert.equal(published.code, 0, tail(published.stdout + published.stderr));
			// The trigger reports calls placed after it first polled, so it runs before any call is placed.
			await runServerUntilPolled();
		});

		test('scheduled-calls.json: places every call at once and returns the call ids', async () => {
			copyFileSync(join(EXAMPLES_DIR, 'calls.csv'), join(filesDir, 'calls.csv'));
			const result = await n8n.execute('pineScheduledCal');
			assertSucceeded(result);
			const items = nodeOutput(result.run, 'Place each call');
			assert.deepEqual(
				items.map((item) => item.dialed_number),
				EXPECTED_CALLS.map((call) => call.phone),
			);
			for (const item of items) {
				assert.equal(item.error, undefined, String(item.error));
				assert.match(String(item.call_id), /\S/);
				assert.match(String(item.placed_at), /^\d{4}-\d\d-\d\dT/);
			}
			placedCallIds = items.map((item) => String(item.call_id));
		});

		test('call-results-trigger.json: logs each ended call once, also after a restart', async (t) => {
			if (placedCallIds.length === 0) {
				t.skip('scheduled-calls.json placed no calls');
				return;
			}
			await waitFor(
				'the scheduled calls to end',
				() => placedCallIds.every((id) => emulator.controls.stats().completions[id]),
				{ timeoutMs: 30_000 },
			);
			// On activation n8n polls at once, then every minute.
			await runServerUntilPolled(() => loggedRows().length >= placedCallIds.length);
			const rows = loggedRows();
			assert.deepEqual(rows.map((row) => row[1]).sort(), [...placedCallIds].sort());
			const byId = new Map(rows.map((row) => [row[1], row]));
			EXPECTED_CALLS.forEach((call, i) => {
				const row = byId.get(placedCallIds[i]);
				assert.equal(row?.[2], call.status, `${call.name}: ${row?.join(',')}`);
				assert.equal(row?.[3], call.raw_status, `${call.name}: ${row?.join(',')}`);
			});

			// Restarted, n8n polls again: nothing is logged twice.
			await runServerUntilPolled();
			assert.equal(loggedRows().length, placedCallIds.length);
		});

		test('a Pine error fails the run (exit 1) with the Pine code, and no token is printed', async () => {
			const workflow = example('scheduled-calls.json');
			workflow.id = 'pineE2EBadToken1';
			workflow.name = 'Pine Voice e2e: unknown token';
			const place = findNode(workflow, 'Place each call');
			delete place.onError;
			place.credentials = { [PINE_CREDENTIAL_TYPE]: { ...BAD_CREDENTIAL } };
			await importWorkflow(workflow);
			const result = await n8n.execute(workflow.id);
			assert.equal(result.exitCode, 1, tail(result.stdout));
			assert.match(result.stdout + result.stderr, /AUTH_REQUIRED|access token/i);
			assert.ok(!(result.stdout + result.stderr).includes(UNKNOWN_TOKEN), 'the token was printed');
		});

		test('ai-agent-tool.json runs with a scripted chat model: the agent uses the Pine Voice tool', async () => {
			// The example starts from a chat trigger and needs a real model: here a manual trigger
			// hands over the chat message, and a scripted OpenAI-compatible model asks for the tool.
			const model = await startFakeOpenAi({
				tool: /phone/i,
				arguments: {
					phone_number: '+1 415 555 0100',
					callee_name: 'Bella Dental',
					callee_context: 'Dentist office. I am Jane Doe, an existing patient.',
					call_objective: 'Book a dental cleaning for next Tuesday afternoon',
				},
			});
			try {
				await n8n.importCredentials([
					{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-e2e-not-a-key', url: model.url } },
				]);
				const workflow = agentRunVariant(example('ai-agent-tool.json'));
				await importWorkflow(workflow);
				const before = emulator.controls.stats().callsCreated;
				const result = await n8n.execute(workflow.id);
				assertSucceeded(result);

				const tools = model.requests[0]?.tools ?? [];
				assert.deepEqual(
					tools.map((tool) => tool.function.name),
					['Place_a_phone_call'],
				);
				const schema = tools[0].function.parameters as { required?: string[] };
				assert.deepEqual(schema.required?.sort(), ['call_objective', 'callee_context', 'callee_name', 'phone_number']);
				assert.equal(model.requests.length, 2, 'the model was not asked again with the tool result');

				assert.equal(emulator.controls.stats().callsCreated - before, 1);
				const post = emulator.controls
					.stats()
					.requests.filter((request) => request.method === 'POST' && request.path === '/api/v2/voice/call')
					.pop();
				assert.deepEqual(
					(({ dialed_number, callee_name, caller, enable_summary, max_duration_minutes }) => ({
						dialed_number,
						callee_name,
						caller,
						enable_summary,
						max_duration_minutes,
					}))(post?.body as Record<string, unknown>),
					{
						dialed_number: '+14155550100',
						callee_name: 'Bella Dental',
						caller: 'communicator',
						enable_summary: true,
						max_duration_minutes: 10,
					},
				);
				const [answer] = nodeOutput(result.run, 'AI Agent');
				assert.match(String(answer.output), /"status":"completed"/);
				assert.match(String(answer.output), /Pine called Bella Dental/);
			} finally {
				await model.stop();
			}
		});

		test('no load errors and no access token in anything n8n printed or wrote', () => {
			assertNoLoadErrors();
			const everything = [
				n8n.allOutput(),
				readIfExists(join(filesDir, 'call-results.csv')),
				readIfExists(join(filesDir, 'call-results-log.csv')),
			].join('\n');
			assert.ok(!everything.includes(DEMO_USER.token), 'the access token was printed or written');
		});
	});
});

/**
 * The AI agent example made runnable headless: `n8n execute` starts only from a manual trigger,
 * so a manual trigger and a Set node with `chatInput` replace the chat trigger (and its memory,
 * which keys on the chat session), and the chat model uses the scripted model's credential.
 */
function agentRunVariant(workflow: Workflow): Workflow {
	const chatTrigger = 'When chat message received';
	workflow.id = 'pineAiAgentRun01';
	workflow.name += ' (e2e run, scripted model)';
	workflow.nodes = workflow.nodes.filter((node) => node.name !== chatTrigger && node.name !== 'Simple Memory');
	workflow.nodes.push(
		{ id: 'e2e-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'e2e-chat-message',
			name: 'Chat message',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [0, 0],
			parameters: {
				assignments: {
					assignments: [
						{
							id: 'e2e-chat-input',
							name: 'chatInput',
							type: 'string',
							value: 'Please call Bella Dental at +1 415 555 0100 and book a cleaning next Tuesday afternoon for Jane Doe. Yes, go ahead.',
						},
					],
				},
				options: {},
			},
		},
	);
	const connections = workflow.connections as Record<string, unknown>;
	delete connections[chatTrigger];
	delete connections['Simple Memory'];
	connections.Start = { main: [[{ node: 'Chat message', type: 'main', index: 0 }]] };
	connections['Chat message'] = { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] };
	findNode(workflow, 'OpenAI Chat Model').credentials = { openAiApi: { ...OPENAI_CREDENTIAL } };
	return workflow;
}

/** n8n logs this (at debug level) once the activation's first poll has finished. */
const ACTIVATED = 'Activated trigger node "When a Pine call ends"';

/**
 * Runs `n8n start` until the Pine Voice Trigger was activated (n8n polls once on activation) and
 * `done` holds, then stops it; stopping waits for running executions.
 */
async function runServerUntilPolled(done: () => boolean = () => true): Promise<void> {
	await n8n.start({ logLevel: 'debug' });
	try {
		await waitFor('the Pine Voice Trigger to poll', () => n8n.log.includes(ACTIVATED) && done(), {
			timeoutMs: 90_000,
			everyMs: 250,
		});
		await sleep(1000);
	} finally {
		await n8n.stop();
	}
}

function loggedRows(): string[][] {
	const file = join(filesDir, 'call-results-log.csv');
	return existsSync(file) ? parseCsvRows(readFileSync(file, 'utf8')).filter((row) => row.length > 1) : [];
}

function readIfExists(file: string): string {
	return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function assertNoLoadErrors(): void {
	const output = n8n.allOutput();
	for (const pattern of [/Cannot find module[^\n]*/, /Failed to load package[^\n]*/, /Error loading[^\n]*pine[^\n]*/i]) {
		const match = output.match(pattern);
		assert.equal(match, null, `n8n printed: ${match?.[0]}`);
	}
}
