/**
 * Debian's Chromium driven by playwright-core (which never downloads a browser of its own).
 * The flags keep Chromium from reaching out to Google's services: on a closed network it would
 * otherwise wait on them and hang.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { REPO_ROOT } from '../../lib/install-package';
import { run, tail } from '../../lib/process';

export const CHROMIUM_PATH = process.env.PINE_VOICE_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

/**
 * Makes sure Chromium is there: runs scripts/browser/install-chromium.sh (apt, as root) when it is
 * not, and fails with a clear message when it cannot be installed.
 */
export async function ensureChromium(): Promise<string> {
	if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
	const script = join(REPO_ROOT, 'scripts', 'browser', 'install-chromium.sh');
	const result = await run('bash', [script], { timeoutMs: 600_000, env: process.env });
	if (result.code !== 0 || !existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`Chromium is not installed at ${CHROMIUM_PATH} and ${script} could not install it ` +
				`(exit ${result.code}):\n${tail(result.stdout)}\n${tail(result.stderr)}`,
		);
	}
	return CHROMIUM_PATH;
}

export interface Browser {
	context: BrowserContext;
	page: Page;
	close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (deleted on close) and one page. */
export async function launchBrowser({
	viewport = { width: 1440, height: 900 },
	deviceScaleFactor = 1,
}: { viewport?: { width: number; height: number }; deviceScaleFactor?: number } = {}): Promise<Browser> {
	const executablePath = await ensureChromium();
	const profile = mkdtempSync(join(tmpdir(), 'pine-voice-chromium-'));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport,
			deviceScaleFactor,
			timeout: 60_000,
			locale: 'en-US',
			timezoneId: 'UTC',
			colorScheme: 'light',
		});
	} catch (error) {
		rmSync(profile, { recursive: true, force: true });
		throw error;
	}
	// Nothing but loopback: any other request the page makes is refused in the browser.
	await context.route(/^(?!https?:\/\/(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort('blockedbyclient'));
	context.setDefaultTimeout(20_000);
	context.setDefaultNavigationTimeout(60_000);
	const page = context.pages()[0] ?? (await context.newPage());
	let closed = false;
	return {
		context,
		page,
		async close() {
			if (closed) return;
			closed = true;
			// Bounded: a browser that does not close in time is killed by playwright when this process exits.
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([
				context.close().catch(() => undefined),
				new Promise((resolve) => (timer = setTimeout(resolve, 15_000))),
			]);
			clearTimeout(timer);
			rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
		},
	};
}
