/**
 * A real n8n editor for the browser test and the screenshots: n8n 2.41 (scripts/e2e/install-n8n.sh)
 * with the packed package installed like a community package, the Pine emulator, a demo
 * credential, the batch example, an owner account created headlessly (POST /rest/owner/setup),
 * and a headless Chromium logged in as that owner. `stop()` stops all of it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Locator, Page } from 'playwright-core';

import { start as startEmulator } from '../../../emulator/server';
import { DEMO_USER, type RunningEmulator } from '../../../emulator/types';
import { forInstance, loadExample, PINE_CREDENTIAL_TYPE, type Workflow } from '../../lib/examples';
import { packAndInstall } from '../../lib/install-package';
import { N8n, n8nInstallFromEnv } from '../../lib/n8n';
import { makeTempDir, removeDir, tail } from '../../lib/process';
import { launchBrowser, type Browser } from './chromium';

export const OWNER = {
	email: 'owner@pine-voice-e2e.invalid',
	firstName: 'Dana',
	lastName: 'Owner',
	password: 'Pine-voice-e2e-1',
};

export const CREDENTIAL = { id: 'pineVoiceBrowser1', name: 'Pine Voice account' };

export const PINE_NODE_TYPE = 'n8n-nodes-pine-voice.pineVoice';

/** A workflow with one Pine Voice node per operation, empty fields, for the panels. */
export const FIELDS_WORKFLOW: Workflow = {
	id: 'pineBrowserFields',
	name: 'Pine Voice: every operation',
	nodes: [
		{
			id: '0e7d3c52-3f5b-4c57-9d2e-0d8a3a1c0001',
			name: 'When clicking ‘Execute workflow’',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: '0e7d3c52-3f5b-4c57-9d2e-0d8a3a1c0002',
			name: 'Place Call',
			type: PINE_NODE_TYPE,
			typeVersion: 1,
			position: [260, -200],
			parameters: { operation: 'placeCall' },
			credentials: { [PINE_CREDENTIAL_TYPE]: CREDENTIAL },
		},
		{
			id: '0e7d3c52-3f5b-4c57-9d2e-0d8a3a1c0003',
			name: 'Get Call',
			type: PINE_NODE_TYPE,
			typeVersion: 1,
			position: [260, 0],
			parameters: { operation: 'getCall' },
			credentials: { [PINE_CREDENTIAL_TYPE]: CREDENTIAL },
		},
		{
			id: '0e7d3c52-3f5b-4c57-9d2e-0d8a3a1c0004',
			name: 'Place & Wait',
			type: PINE_NODE_TYPE,
			typeVersion: 1,
			position: [260, 200],
			parameters: { operation: 'placeAndWait' },
			credentials: { [PINE_CREDENTIAL_TYPE]: CREDENTIAL },
		},
	],
	connections: {
		'When clicking ‘Execute workflow’': {
			main: [
				[
					{ node: 'Place Call', type: 'main', index: 0 },
					{ node: 'Get Call', type: 'main', index: 0 },
					{ node: 'Place & Wait', type: 'main', index: 0 },
				],
			],
		},
	},
	settings: { executionOrder: 'v1' },
	active: false,
};

export interface EditorSession {
	n8n: N8n;
	emulator: RunningEmulator;
	browser: Browser;
	page: Page;
	/** The editor's base URL (loopback). */
	url: string;
	/** Workflows imported into n8n, by id. */
	workflows: Record<string, Workflow>;
	/** How long each start-up step took (ms). */
	timings: Record<string, number>;
	stop(): Promise<void>;
}

async function timed<T>(timings: Record<string, number>, step: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await work();
	} finally {
		timings[step] = Date.now() - started;
	}
}

/** Creates the owner account of a fresh n8n (no cookie kept: the browser logs in by itself). */
export async function setupOwner(url: string): Promise<void> {
	const response = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
		signal: AbortSignal.timeout(20_000),
	});
	if (!response.ok) throw new Error(`owner setup answered ${response.status}: ${await response.text()}`);
}

/** Logs the browser in through the sign-in page, as a person would. */
export async function logIn(page: Page, url: string): Promise<void> {
	await page.goto(`${url}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first().fill(OWNER.email);
	await page.locator('input[name="password"], input[type="password"]').first().fill(OWNER.password);
	await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL((target) => !target.pathname.startsWith('/signin'), { timeout: 30_000 });
}

export interface StartOptions {
	/** Extra workflows to import (set up for this instance by the caller). */
	workflows?: Workflow[];
	viewport?: { width: number; height: number };
	deviceScaleFactor?: number;
	/** n8n's editor port (default: a free one). */
	port?: number;
	/** Called with the installed package's folder before n8n starts (to try a change without a rebuild). */
	afterInstall?: (directory: string) => void;
}

/** Starts everything; on any failure stops what was started and throws. */
export async function startEditor(options: StartOptions = {}): Promise<EditorSession> {
	const timings: Record<string, number> = {};
	const root = makeTempDir('pine-voice-browser-');
	const userFolder = join(root, 'user');
	const filesDir = join(root, 'files');
	mkdirSync(filesDir, { recursive: true });
	let emulator: RunningEmulator | undefined;
	let n8n: N8n | undefined;
	let browser: Browser | undefined;

	let stopped: Promise<void> | undefined;
	const stopAll = async (): Promise<void> => {
		try {
			await browser?.close();
		} finally {
			await n8n?.stop();
			await emulator?.stop();
			if (n8n) writeFileSync(join(tmpdir(), 'pine-voice-browser-n8n.log'), n8n.allOutput());
			if (process.env.PINE_VOICE_E2E_KEEP === '1') console.log(`kept ${root}`);
			else removeDir(root);
		}
	};
	// Once, however often it is called (a signal and a finally may both ask).
	const stop = (): Promise<void> => (stopped ??= stopAll());

	try {
		const install = n8nInstallFromEnv();
		emulator = await startEmulator({ port: 0, msPerMinute: 10, heartbeatMs: 50 });
		const runningEmulator = emulator;
		n8n = new N8n(install, {
			userFolder,
			filesDir,
			port: options.port,
			env: {
				// Plain http on loopback: a Secure cookie would never be sent back.
				N8N_SECURE_COOKIE: 'false',
				N8N_LOG_LEVEL: 'info',
				// No banners or calls home that would cover the panels.
				N8N_HIRING_BANNER_ENABLED: 'false',
				N8N_PUBLIC_API_DISABLED: 'true',
				N8N_AI_ENABLED: 'false',
			},
		});
		const server = n8n;
		await server.init();
		const installed = await timed(timings, 'install package', async () => await packAndInstall(userFolder));
		options.afterInstall?.(installed.directory);
		const workflows: Record<string, Workflow> = {};
		await timed(timings, 'import', async () => {
			await server.importCredentials([
				{
					...CREDENTIAL,
					type: PINE_CREDENTIAL_TYPE,
					data: { accessToken: DEMO_USER.token, userId: DEMO_USER.userId, gatewayUrl: runningEmulator.url },
				},
			]);
			const batch = forInstance(loadExample('batch-calls.json'), { filesDir, credential: CREDENTIAL });
			for (const workflow of [FIELDS_WORKFLOW, batch, ...(options.workflows ?? [])]) workflows[workflow.id] = workflow;
			await server.importWorkflows(Object.values(workflows));
		});
		await timed(timings, 'n8n start', async () => await server.start());
		await timed(timings, 'owner setup', async () => await setupOwner(server.url));
		browser = await timed(timings, 'chromium', async () =>
			launchBrowser({ viewport: options.viewport, deviceScaleFactor: options.deviceScaleFactor }),
		);
		const { page } = browser;
		await timed(timings, 'log in', async () => await logIn(page, server.url));
		return { n8n: server, emulator: runningEmulator, browser, page, url: server.url, workflows, timings, stop };
	} catch (error) {
		const log = n8n ? tail(n8n.allOutput(), 60) : '';
		await stop().catch(() => undefined);
		if (error instanceof Error && log) error.message += `\n--- n8n output (tail) ---\n${log}`;
		throw error;
	}
}

// ---------------------------------------------------------------- editor helpers

/** Opens a saved workflow and waits for its canvas (no reload when it is already open and idle). */
export async function openWorkflow(
	page: Page,
	url: string,
	workflowId: string,
	{ reload = false }: { reload?: boolean } = {},
): Promise<void> {
	const target = `${url}/workflow/${workflowId}`;
	if (reload || page.url() !== target || (await ndv(page).isVisible())) await page.goto(target);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible', timeout: 60_000 });
}

export function canvasNode(page: Page, name: string): Locator {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
}

/** The node details view (the panel a double click on a node opens). */
export function ndv(page: Page): Locator {
	return page.locator('[data-test-id="ndv"]');
}

/** The Parameters tab of the open node panel. */
export function nodeParameters(page: Page): Locator {
	return ndv(page).locator('[data-test-id="node-parameters"]');
}

export async function openNode(page: Page, name: string): Promise<Locator> {
	await canvasNode(page, name).dblclick();
	const parameters = nodeParameters(page);
	await parameters.waitFor({ state: 'visible', timeout: 20_000 });
	return parameters;
}

export async function closeNode(page: Page): Promise<void> {
	await ndv(page).locator('[data-test-id="ndv-close-button"]').click();
	await ndv(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Opens a node's panel, runs `work`, and closes the panel again (also when `work` fails). */
export async function withNode<T>(page: Page, name: string, work: (parameters: Locator) => Promise<T>): Promise<T> {
	const parameters = await openNode(page, name);
	try {
		return await work(parameters);
	} finally {
		// Close whatever is open without hiding the error of `work`.
		await page.keyboard.press('Escape').catch(() => undefined);
		if (await ndv(page).isVisible().catch(() => false)) await closeNode(page).catch(() => undefined);
	}
}

export interface PanelItem {
	kind: 'parameter' | 'notice' | 'credential';
	/** The parameter's internal name (for a notice: its text). */
	name: string;
	/** What the user reads: the label (for a notice: its text). */
	label: string;
}

/**
 * What the Parameters tab shows at its top level, in order: the credential slot, notices and
 * parameters (the items of a collection are left out).
 */
export async function panelItems(parameters: Locator): Promise<PanelItem[]> {
	const selector = [
		'[data-test-id="node-credentials-slot"]',
		'[data-test-id="parameter-item"] .notice',
		'[data-test-id="input-label"] label[for]',
	].join(', ');
	return await parameters.locator(selector).evaluateAll((elements) => {
		const clean = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
		return (
			elements
				.filter((element) => (element as unknown as { offsetParent: unknown }).offsetParent !== null)
				// Leave out what a collection shows inside itself.
				.filter((element) => !element.closest('[data-test-id="parameter-item"]')?.parentElement?.closest('[data-test-id="parameter-item"]'))
				.map((element) => {
					if (element.matches('[data-test-id="node-credentials-slot"]')) {
						return { kind: 'credential' as const, name: 'credentials', label: 'Credential' };
					}
					if (element.matches('.notice')) {
						return { kind: 'notice' as const, name: clean(element.textContent), label: clean(element.textContent) };
					}
					const title = element.querySelector('[class*="_title_"]') ?? element;
					return { kind: 'parameter' as const, name: element.getAttribute('for') ?? '', label: clean(title.textContent) };
				})
		);
	});
}

/** The top-level parameter of the open panel whose internal name is `name`. */
export function parameterItem(parameters: Locator, name: string): Locator {
	return parameters
		.locator('[data-test-id="parameter-item"]')
		.filter({ has: parameters.page().locator(`label[for="${name}"]`) })
		.first();
}

/** The open dropdown list (n8n's selects render it at the end of the page). */
function openDropdown(page: Page): Locator {
	return page.locator('.el-select-dropdown:visible, .el-popper:visible [role="listbox"]').first();
}

async function closeDropdown(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
}

/** The choices a collection's "Add Field" / "Add Option" button offers. */
export async function collectionChoices(parameters: Locator, name: string): Promise<string[]> {
	const page = parameters.page();
	await parameterItem(parameters, name).locator('[data-test-id="collection-parameter-add"]').click();
	const dropdown = openDropdown(page);
	await dropdown.locator('.el-select-dropdown__item').first().waitFor({ state: 'visible', timeout: 5000 });
	const choices = (await dropdown.locator('.el-select-dropdown__item').allInnerTexts()).map((text) => text.trim());
	await closeDropdown(page);
	return choices;
}

/** The choices of an options parameter (headline of each entry). */
export async function optionChoices(parameters: Locator, name: string): Promise<string[]> {
	const page = parameters.page();
	await parameters.locator(`[data-test-id="parameter-input-${name}"]`).click();
	const items = openDropdown(page).locator('[data-test-id="parameter-input-item"]');
	await items.first().waitFor({ state: 'visible', timeout: 5000 });
	const choices = await items.evaluateAll((elements) =>
		elements.map((element) => (element.querySelector('.option-headline') ?? element).textContent?.trim() ?? ''),
	);
	await closeDropdown(page);
	return choices;
}

/** Picks `choice` (its headline) in an options parameter. */
export async function selectOption(parameters: Locator, name: string, choice: string): Promise<void> {
	const page = parameters.page();
	await parameters.locator(`[data-test-id="parameter-input-${name}"]`).click();
	const item = openDropdown(page)
		.locator('[data-test-id="parameter-input-item"]')
		.filter({ has: page.locator('.option-headline', { hasText: new RegExp(`^\\s*${escapeRegExp(choice)}\\s*$`) }) });
	await item.click();
	await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
}

/** Adds one item of a collection (by its display name) to the open panel. */
export async function addCollectionItem(parameters: Locator, collection: string, choice: string): Promise<void> {
	const page = parameters.page();
	await parameterItem(parameters, collection).locator('[data-test-id="collection-parameter-add"]').click();
	await openDropdown(page).locator('.el-select-dropdown__item', { hasText: choice }).first().click();
	await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
