/**
 * `npm run screenshots`: regenerates docs/images/*.png from the real n8n editor in headless
 * Chromium. Starts its own n8n (with the packed package, the Pine emulator and a demo credential)
 * and stops it at the end. Started by scripts/browser/screenshots.sh (installs n8n and Chromium
 * when missing, builds).
 *
 *   PINE_VOICE_SCREENSHOTS_DIR   where the images go (default docs/images)
 *   PINE_VOICE_SCREENSHOTS_ONLY  comma-separated image names to take (default: all)
 */
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { Locator, Page } from 'playwright-core';

import { loadExample, PINE_CREDENTIAL_TYPE, usesPineCredential, type Workflow } from '../../test/e2e/lib/examples';
import {
	CREDENTIAL,
	openWorkflow,
	PINE_NODE_TYPE,
	startEditor,
	type EditorSession,
	withNode,
} from '../../test/e2e/browser/lib/editor';
import { leaveSignalsToCaller } from '../../test/e2e/lib/process';

const REPO_ROOT = resolve(__dirname, '..', '..');
const OUT_DIR = resolve(process.env.PINE_VOICE_SCREENSHOTS_DIR ?? join(REPO_ROOT, 'docs', 'images'));
/** The canvas picture is wide and short; the panels need a tall page so that nothing scrolls. */
const CANVAS_VIEWPORT = { width: 1440, height: 760 };
const DEFAULT_GATEWAY = 'https://agent3-api-gateway-staging.19pine.ai';

const pine = { type: PINE_NODE_TYPE, typeVersion: 1, credentials: { [PINE_CREDENTIAL_TYPE]: CREDENTIAL } };

/** One Pine Voice node per operation, filled in as a user would (rows of examples/calls.csv). */
const SCREENSHOT_WORKFLOW: Workflow = {
	id: 'pineScreenshots01',
	name: 'Pine Voice: screenshots',
	nodes: [
		{
			id: '6f0f4a5e-5a43-4f3e-9b53-1c3f8a000001',
			name: 'When clicking ‘Execute workflow’',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			...pine,
			id: '6f0f4a5e-5a43-4f3e-9b53-1c3f8a000002',
			name: 'Book a cleaning',
			position: [260, -200],
			parameters: {
				operation: 'placeCall',
				dialedNumber: '+14155550100',
				calleeName: 'Bella Dental',
				calleeContext:
					'Dentist office, open Mon-Fri 9am-5pm. I am an existing patient, Jane Doe, born 1990-04-12.',
				callObjective: 'Book a dental cleaning for next Tuesday afternoon',
				caller: 'communicator',
				detailedInstructions: 'If Tuesday is full, any weekday afternoon next week works.',
				additionalFields: { enableSummary: true, maxDurationMinutes: 10 },
				options: { registerForTrigger: true },
			},
		},
		{
			...pine,
			id: '6f0f4a5e-5a43-4f3e-9b53-1c3f8a000003',
			name: 'Get the result',
			position: [260, 0],
			parameters: { operation: 'getCall', callId: '={{ $json.call_id }}' },
		},
		{
			...pine,
			id: '6f0f4a5e-5a43-4f3e-9b53-1c3f8a000004',
			name: 'Lower my internet bill',
			position: [260, 200],
			parameters: {
				operation: 'placeAndWait',
				dialedNumber: '(415) 555-0107',
				calleeName: 'FastNet Internet',
				calleeContext:
					'My internet provider. Account number 88123, plan 300 Mbps at $80 per month, customer for 4 years.',
				callObjective: 'Lower my monthly internet bill to $60 or less',
				caller: 'negotiator',
				detailedInstructions:
					'Target $60 per month; accept up to $65. A competitor offers 300 Mbps at $55. Do not cancel the service and do not accept a longer contract.',
				additionalFields: { enableSummary: true, maxDurationMinutes: 20 },
				options: { defaultCountry: 'US', waitTimeoutMinutes: 30 },
			},
		},
	],
	connections: {
		'When clicking ‘Execute workflow’': {
			main: [
				[
					{ node: 'Book a cleaning', type: 'main', index: 0 },
					{ node: 'Get the result', type: 'main', index: 0 },
					{ node: 'Lower my internet bill', type: 'main', index: 0 },
				],
			],
		},
	},
	settings: { executionOrder: 'v1' },
	active: false,
};

/** The batch example as shipped (its files folder untouched, for the picture), with the demo credential. */
function batchExampleAsShipped(): Workflow {
	const workflow = loadExample('batch-calls.json');
	workflow.id = 'pineBatchCallsDoc';
	for (const node of workflow.nodes) {
		if (usesPineCredential(node)) node.credentials = { [PINE_CREDENTIAL_TYPE]: { ...CREDENTIAL } };
	}
	return workflow;
}

const BATCH_WORKFLOW = batchExampleAsShipped();

interface Shot {
	file: string;
	caption: string;
	take(session: EditorSession, file: string): Promise<void>;
}

/** Moves the mouse away and blurs the focused field, so no hover or focus ring shows. */
async function settle(page: Page): Promise<void> {
	await page.mouse.move(1, 1);
	await page.evaluate(() => (globalThis as unknown as { document: { activeElement?: { blur?: () => void } } }).document.activeElement?.blur?.());
	await page.waitForTimeout(400);
}

/** The node panel's parameters column (tabs to the last parameter), without the empty input/output panes. */
async function shootNodePanel(session: EditorSession, nodeName: string, file: string): Promise<void> {
	const { page, url } = session;
	await openWorkflow(page, url, SCREENSHOT_WORKFLOW.id);
	await withNode(page, nodeName, async (parameters) => {
		await parameters.locator('[data-test-id="parameter-input-operation"]').waitFor({ state: 'visible' });
		await settle(page);
		await shootParameters(parameters, nodeName, file);
	});
}

async function shootParameters(parameters: Locator, nodeName: string, file: string): Promise<void> {
	const page = parameters.page();
	// Boxes from the page itself: the panel is a modal <dialog> in the top layer.
	const box = await parameters.evaluate((element) => {
		type Box = { x: number; y: number; width: number; height: number; bottom: number };
		type El = { closest(selector: string): El | null; getBoundingClientRect(): Box; querySelectorAll(selector: string): Iterable<El> };
		const parameterList = element as unknown as El;
		const column = (parameterList.closest('.node-settings') ?? parameterList).getBoundingClientRect();
		let bottom = column.y;
		for (const item of parameterList.querySelectorAll('[data-test-id="parameter-item"]')) {
			const itemBox = item.getBoundingClientRect();
			if (itemBox.height > 0) bottom = Math.max(bottom, itemBox.bottom);
		}
		return { x: column.x, y: column.y, width: column.width, bottom: Math.min(bottom + 16, column.bottom) };
	});
	if (box.width < 200 || box.bottom - box.y < 200) throw new Error(`the panel of "${nodeName}" is too small: ${JSON.stringify(box)}`);
	await page.screenshot({
		path: file,
		clip: { x: box.x, y: box.y, width: box.width, height: box.bottom - box.y },
		animations: 'disabled',
	});
}

const SHOTS: Shot[] = [
	{
		file: 'node-place-call.png',
		caption: 'Place Call: the call fields, with Enable Summary and Max Duration added, and the option that lets the Pine Voice Trigger report the result.',
		take: async (session, file) => await shootNodePanel(session, 'Book a cleaning', file),
	},
	{
		file: 'node-get-call.png',
		caption: 'Get Call: one field, the call ID (here taken from the previous node).',
		take: async (session, file) => await shootNodePanel(session, 'Get the result', file),
	},
	{
		file: 'node-place-and-wait.png',
		caption: 'Place & Wait with the Negotiator: its notice, the strategy in Detailed Instructions, and the waiting options.',
		take: async (session, file) => await shootNodePanel(session, 'Lower my internet bill', file),
	},
	{
		file: 'batch-calls-canvas.png',
		caption: 'The batch example (examples/batch-calls.json): read a CSV, call every row (5 at a time), write a results CSV.',
		take: async ({ page, url }, file) => {
			const viewport = page.viewportSize();
			await page.setViewportSize(CANVAS_VIEWPORT);
			try {
				await openWorkflow(page, url, BATCH_WORKFLOW.id);
				await page.locator('[data-test-id="zoom-to-fit"]').click();
				await settle(page);
				await page.waitForTimeout(600);
				await page.screenshot({ path: file, animations: 'disabled' });
			} finally {
				if (viewport) await page.setViewportSize(viewport);
			}
		},
	},
	{
		file: 'credential-pine-voice-api.png',
		caption: 'The Pine Voice API credential: the access token and user ID from the Pine Voice Auth node, tested against Pine.',
		take: async ({ page, url }, file) => {
			await page.goto(`${url}/home/credentials/${CREDENTIAL.id}`);
			const modal = page.locator('[data-test-id="editCredential-modal"]');
			await modal.waitFor({ state: 'visible', timeout: 30_000 });
			// The test ran against the emulator; show the gateway a user keeps (nothing is saved).
			await modal.getByText('Connection tested successfully').waitFor({ state: 'visible', timeout: 30_000 });
			await modal.locator('[data-test-id="parameter-input-gatewayUrl"] input').fill(DEFAULT_GATEWAY);
			await settle(page);
			const dialog = modal.locator('.el-dialog').first();
			await ((await dialog.count()) ? dialog : modal).screenshot({ path: file, animations: 'disabled' });
		},
	},
];

async function main(): Promise<void> {
	leaveSignalsToCaller();
	const only = (process.env.PINE_VOICE_SCREENSHOTS_ONLY ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	const shots = only.length ? SHOTS.filter((shot) => only.includes(shot.file) || only.includes(shot.file.replace(/\.png$/, ''))) : SHOTS;
	if (!shots.length) throw new Error(`no image called ${only.join(', ')}; known: ${SHOTS.map((shot) => shot.file).join(', ')}`);
	mkdirSync(OUT_DIR, { recursive: true });

	const started = Date.now();
	const running: { session?: EditorSession } = {};
	// Ctrl-C: stop what runs; n8n's process group is killed on exit anyway (test/e2e/lib/process.ts).
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => void (running.session?.stop() ?? Promise.resolve()).finally(() => process.exit(130)));
	}
	console.log('Starting n8n, the Pine emulator and Chromium...');
	const session = await startEditor({
		workflows: [SCREENSHOT_WORKFLOW, BATCH_WORKFLOW],
		viewport: { width: 1440, height: 1500 },
		deviceScaleFactor: 2,
	});
	running.session = session;
	console.log(`Editor ready in ${Math.round((Date.now() - started) / 1000)} s (${JSON.stringify(session.timings)})`);

	let failed = 0;
	try {
		for (const shot of shots) {
			const file = join(OUT_DIR, shot.file);
			const partial = join(OUT_DIR, `.${shot.file}.partial.png`);
			const shotStarted = Date.now();
			try {
				await shot.take(session, partial);
				renameSync(partial, file);
				console.log(`  ${shot.file}  (${Math.round(statSync(file).size / 1024)} KB, ${Date.now() - shotStarted} ms)  ${shot.caption}`);
			} catch (error) {
				failed++;
				rmSync(partial, { force: true });
				const debug = join(tmpdir(), `pine-voice-screenshot-failed-${shot.file}`);
				await session.page.screenshot({ path: debug }).catch(() => undefined);
				console.error(`  ${shot.file} FAILED: ${error instanceof Error ? error.message : String(error)} (page as it was: ${debug})`);
			}
		}
	} finally {
		await session.stop();
	}
	console.log(`${shots.length - failed} of ${shots.length} images written to ${OUT_DIR} in ${Math.round((Date.now() - started) / 1000)} s`);
	process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
