/**
 * Browser test: the real n8n 2.41 editor in headless Chromium (Debian's, driven by playwright-core)
 * shows each Pine Voice operation with exactly its fields, and the node can be found and added
 * from the node panel. Part of `npm run test:e2e` (scripts/e2e/run.sh sets N8N_E2E_DIR and
 * N8N_E2E_NODE); Chromium is installed by scripts/browser/install-chromium.sh when missing.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
	canvasNode,
	closeNode,
	collectionChoices,
	FIELDS_WORKFLOW,
	ndv,
	nodeParameters,
	openWorkflow,
	optionChoices,
	panelItems,
	selectOption,
	startEditor,
	type EditorSession,
	type PanelItem,
	withNode,
} from './lib/editor';

const COST_NOTICE = /^Each call costs 50 credits plus 20 credits per minute/;
const NEGOTIATOR_NOTICE = /^A negotiator cannot ask you anything during the call/;

/** The call fields of Place Call and Place & Wait (DESIGN.md), in the panel's order. */
const PLACE_FIELDS: Array<[string, string]> = [
	['operation', 'Operation'],
	['dialedNumber', 'Phone Number'],
	['calleeName', 'Callee Name'],
	['calleeContext', 'Callee Context'],
	['callObjective', 'Call Objective'],
	['caller', 'Caller'],
	['detailedInstructions', 'Detailed Instructions'],
	['additionalFields', 'Additional Fields'],
	['options', 'Options'],
];

const GET_FIELDS: Array<[string, string]> = [
	['operation', 'Operation'],
	['callId', 'Call ID'],
	['options', 'Options'],
];

const ADDITIONAL_FIELDS = ['Enable Summary', 'Max Duration (Minutes)', 'Voice'];

/** What "Add Option" offers for each operation (options.description.ts's displayOptions). */
const OPTIONS: Record<string, string[]> = {
	placeCall: [
		'Concurrency',
		'Dedupe Key',
		'Dedupe Window (Hours)',
		'Default Country',
		'Register for Trigger',
		'Release Unconfirmed Key',
	],
	placeAndWait: [
		'Concurrency',
		'Dedupe Key',
		'Dedupe Window (Hours)',
		'Default Country',
		'Poll Interval (Seconds)',
		'Release Unconfirmed Key',
		'Wait Timeout (Minutes)',
	],
	getCall: ['Concurrency'],
};

const OPERATIONS = [
	{ value: 'placeCall', display: 'Place Call', node: 'Place Call', fields: PLACE_FIELDS, costNotice: true },
	{ value: 'getCall', display: 'Get Call', node: 'Get Call', fields: GET_FIELDS, costNotice: false },
	{ value: 'placeAndWait', display: 'Place & Wait', node: 'Place & Wait', fields: PLACE_FIELDS, costNotice: true },
] as const;

const parametersOf = (items: PanelItem[]) =>
	items.filter((item) => item.kind === 'parameter').map((item): [string, string] => [item.name, item.label]);
const noticesOf = (items: PanelItem[]) => items.filter((item) => item.kind === 'notice').map((item) => item.label);

/** Checks the open panel against one operation's fields, notices and collection choices. */
async function assertPanel(session: EditorSession, operation: (typeof OPERATIONS)[number]): Promise<void> {
	const parameters = nodeParameters(session.page);
	const items = await panelItems(parameters);
	assert.equal(items[0]?.kind, 'credential', `the credential slot comes first: ${JSON.stringify(items)}`);
	assert.deepEqual(parametersOf(items), operation.fields, `${operation.display}: the fields shown`);
	const notices = noticesOf(items);
	assert.equal(notices.length, operation.costNotice ? 1 : 0, `${operation.display}: notices ${JSON.stringify(notices)}`);
	if (operation.costNotice) assert.match(notices[0], COST_NOTICE);
	assert.equal(
		await parameters.locator('[data-test-id="parameter-input-operation"] input').inputValue(),
		operation.display,
	);
	// n8n appends its own "Custom API Call" (the credential works in the HTTP Request node).
	assert.deepEqual((await optionChoices(parameters, 'operation')).slice(0, 3), ['Get Call', 'Place & Wait', 'Place Call']);
	assert.deepEqual(await collectionChoices(parameters, 'options'), OPTIONS[operation.value], `${operation.display}: Options`);
	if (operation.fields === PLACE_FIELDS) {
		assert.deepEqual(await collectionChoices(parameters, 'additionalFields'), ADDITIONAL_FIELDS);
		assert.deepEqual(await optionChoices(parameters, 'caller'), ['Communicator', 'Negotiator']);
	}
}

let session: EditorSession;

/** A test that leaves a screenshot of the page in the temp folder when it fails. */
function browserTest(name: string, body: () => Promise<void>): void {
	test(name, async () => {
		try {
			await body();
		} catch (error) {
			const file = join(tmpdir(), `pine-voice-browser-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
			if (session) await session.page.screenshot({ path: file }).then(() => console.log(`the page when "${name}" failed: ${file}`), () => undefined);
			throw error;
		}
	});
}

describe('the Pine Voice node in the n8n editor (headless Chromium)', () => {
	before(async () => {
		session = await startEditor();
		console.log(`editor ready: ${JSON.stringify(session.timings)}`);
	});

	after(async () => {
		await session?.stop();
	});

	for (const operation of OPERATIONS) {
		browserTest(`${operation.display}: the panel shows exactly its fields`, async () => {
			const { page, url } = session;
			await openWorkflow(page, url, FIELDS_WORKFLOW.id);
			await withNode(page, operation.node, async () => await assertPanel(session, operation));
		});
	}

	browserTest('Place Call: choosing the Negotiator adds the negotiator notice, and only then', async () => {
		const { page, url } = session;
		// A fresh copy of the workflow: this test changes a field.
		await openWorkflow(page, url, FIELDS_WORKFLOW.id, { reload: true });
		await withNode(page, 'Place Call', async (parameters) => {
			assert.equal(noticesOf(await panelItems(parameters)).some((notice) => NEGOTIATOR_NOTICE.test(notice)), false);
			await selectOption(parameters, 'caller', 'Negotiator');
			const items = await panelItems(parameters);
			const notices = noticesOf(items);
			assert.equal(notices.length, 2, JSON.stringify(notices));
			assert.match(notices[1], NEGOTIATOR_NOTICE);
			// The notice sits right above Detailed Instructions, the field it talks about.
			const names = items.map((item) => (item.kind === 'notice' ? 'notice' : item.name));
			assert.deepEqual(names.slice(names.indexOf('caller'), names.indexOf('caller') + 3), [
				'caller',
				'notice',
				'detailedInstructions',
			]);
			await selectOption(parameters, 'caller', 'Communicator');
			assert.equal(noticesOf(await panelItems(parameters)).length, 1);
		});
	});

	browserTest('a new workflow: Pine Voice is found in the node panel, added, and its operations switch the fields', async () => {
		const { page, url } = session;
		await page.goto(`${url}/workflow/new`);
		await page.locator('[data-test-id="canvas-add-button"]').click();
		const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
		await search.fill('Pine Voice');
		const results = page.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]');
		// The list filters as one types: give it a moment to show the node.
		await results
			.filter({ hasText: /^Pine Voice$/ })
			.first()
			.waitFor({ state: 'visible', timeout: 10_000 })
			.catch(() => undefined);
		const found = await results.allInnerTexts();
		assert.ok(
			found.includes('Pine Voice'),
			`searching "Pine Voice" in the node panel lists ${JSON.stringify(found)}, not the Pine Voice node ` +
				'(n8n hides nodes whose codex categories include "AI" unless they are AI root nodes)',
		);
		await results.filter({ hasText: /^Pine Voice$/ }).click();
		// On an empty canvas the panel lists the triggers first; the actions are folded.
		const actionsHeader = page.getByText(/^Actions \(\d+\)$/);
		if (await actionsHeader.isVisible()) await actionsHeader.click();
		const actions = await results.allInnerTexts();
		for (const action of ['Get a call', 'Place a call and wait for the result', 'Place a call']) {
			assert.ok(actions.includes(action), `the action "${action}" is listed: ${JSON.stringify(actions)}`);
		}
		await results.filter({ hasText: /^Place a call and wait for the result$/ }).click();
		await nodeParameters(page).waitFor({ state: 'visible' });
		await assertPanel(session, OPERATIONS[2]);

		// Switching the operation in the panel shows the other operations' fields at once.
		await selectOption(nodeParameters(page), 'operation', 'Get Call');
		await assertPanel(session, OPERATIONS[1]);
		await selectOption(nodeParameters(page), 'operation', 'Place Call');
		await assertPanel(session, OPERATIONS[0]);
		await closeNode(page);
		// n8n added a manual trigger in front of the action node.
		await canvasNode(page, 'Pine Voice').waitFor({ state: 'visible' });
		assert.equal(await page.locator('[data-test-id="canvas-node"]').count(), 2);
		assert.equal(await ndv(page).isVisible(), false);
	});
});
