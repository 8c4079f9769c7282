/*
 * 6. Footprint: npm pack tarball, installed size with runtime dependencies, and the time a fresh
 * process takes to load the package's nodes and credential.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { kib, mib, ms } from '../lib/format';
import type { Section } from '../lib/report';
import { median } from '../lib/stats';
import { benchTempDir } from '../lib/setup-env';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

export interface FootprintConfig {
	loadRuns: number;
}

interface PackResult {
	filename: string;
	size: number;
	unpackedSize: number;
	files: Array<{ path: string; size: number }>;
}

interface LoadResult {
	workflowMs: number;
	packageMs: number;
	files: number;
	classes: number;
	modules: Record<string, number>;
}

/** Runtime dependencies whose load time is shown on its own. */
const HEAVY_MODULES = ['undici', 'libphonenumber-js/max', 'eventsource-parser'];

export async function measureFootprint(config: FootprintConfig): Promise<Section> {
	const notes: string[] = [];
	const buildStarted = Date.now();
	try {
		await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 180_000 });
	} catch (error) {
		notes.push(`npm run build failed, so the existing dist/ was packed: ${String((error as Error).message).split('\n')[0]}`);
	}
	const buildMs = Date.now() - buildStarted;

	const packDir = path.join(benchTempDir, 'pack');
	fs.mkdirSync(packDir, { recursive: true });
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT, timeout: 120_000 });
	const [pack] = JSON.parse(stdout) as PackResult[];
	const tarball = path.join(packDir, pack.filename);
	const bytesOf = (pattern: RegExp) => pack.files.filter((file) => pattern.test(file.path)).reduce((sum, file) => sum + file.size, 0);

	// The way n8n's community installer does it: unpack, then npm install without dev, peer or
	// optional dependencies and without scripts.
	const installDir = path.join(benchTempDir, 'install');
	fs.mkdirSync(installDir, { recursive: true });
	fs.writeFileSync(path.join(installDir, 'package.json'), JSON.stringify({ name: 'bench-install', version: '1.0.0', private: true }));
	const installStarted = Date.now();
	await run(
		'npm',
		['install', '--omit=dev', '--omit=peer', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', tarball],
		{ cwd: installDir, timeout: 180_000 },
	);
	const installMs = Date.now() - installStarted;
	const modulesDir = path.join(installDir, 'node_modules');
	const packages = fs.readdirSync(modulesDir).filter((name) => !name.startsWith('.'));
	const sizes = packages.map((name) => ({ name, bytes: treeBytes(path.join(modulesDir, name)) })).sort((a, b) => b.bytes - a.bytes);
	const installed = sizes.reduce((sum, entry) => sum + entry.bytes, 0);
	const { stdout: du } = await run('du', ['-sk', modulesDir]);
	const diskBytes = Number(du.split(/\s+/)[0]) * 1024;

	// n8n-workflow is a peer dependency that n8n itself provides: make it resolvable from the install.
	fs.symlinkSync(path.join(ROOT, 'node_modules', 'n8n-workflow'), path.join(modulesDir, 'n8n-workflow'), 'dir');
	const packageDir = path.join(modulesDir, 'n8n-nodes-pine-voice');
	const load = async (only?: string): Promise<LoadResult> => {
		const args = [path.join(__dirname, '../children/load-nodes.js'), packageDir, ...(only ? [only] : [])];
		const { stdout: line } = await run(process.execPath, args, { timeout: 60_000 });
		return JSON.parse(line) as LoadResult;
	};
	const loads: LoadResult[] = [];
	const alone: Record<string, number[]> = Object.fromEntries(HEAVY_MODULES.map((name) => [name, []]));
	// Interleaved, so that other load on the machine touches every figure alike.
	for (let i = 0; i < config.loadRuns; i++) {
		loads.push(await load());
		for (const name of HEAVY_MODULES) alone[name].push((await load(name)).packageMs);
	}
	const packageMs = median(loads.map((result) => result.packageMs));
	const workflowMs = median(loads.map((result) => result.workflowMs));
	const modules = loads[0]?.modules ?? {};

	return {
		title: '6. Footprint',
		method: [
			`npm run build (${(buildMs / 1000).toFixed(1)} s), then npm pack: the tarball n8n downloads.`,
			`Installed: the tarball installed into an empty folder with npm install --omit=dev --omit=peer --omit=optional --ignore-scripts (${(installMs / 1000).toFixed(1)} s, npm cache warm), as n8n's community installer does (it drops dev, peer and optional dependencies and runs no scripts). Size = the bytes of every file under node_modules; du -sk gives the disk usage.`,
			`Load time: ${config.loadRuns} fresh \`node\` processes (bench/children/load-nodes.js) each require n8n-workflow (n8n has it loaded already; resolved through a symlink to the repo's copy), then time requiring every file in the installed package.json "n8n" section (${loads[0]?.files} files) and instantiating their classes (${loads[0]?.classes}). Median.`,
		],
		headers: ['Figure', 'Value'],
		rows: [
			['Tarball (npm pack)', `${kib(pack.size)} (${pack.files.length} files, ${kib(pack.unpackedSize)} unpacked)`],
			['of which source maps (.js.map) / type declarations (.d.ts), unpacked', `${kib(bytesOf(/\.js\.map$/))} / ${kib(bytesOf(/\.d\.ts$/))}`],
			['Installed with runtime dependencies (file bytes)', mib(installed)],
			['Installed, disk usage (du -sk)', mib(diskBytes)],
			...sizes.map((entry) => [`  ${entry.name}`, entry.bytes > 1024 * 1024 ? mib(entry.bytes) : kib(entry.bytes)]),
			['Load nodes + credential, n8n-workflow already loaded (median)', ms(packageMs, 1)],
			...HEAVY_MODULES.map((name) => [`  of which, alone in a fresh process: ${name}`, ms(median(alone[name]), 1)]),
			['  for reference: loading n8n-workflow itself in the same processes', ms(workflowMs, 1)],
			[
				'Module files loaded for the package, by package',
				Object.entries(modules)
					.sort((a, b) => b[1] - a[1])
					.map(([name, count]) => `${name} ${count}`)
					.join(', '),
			],
		],
		notes,
		summary: [
			{ measure: '6. Footprint: tarball / installed with dependencies', figure: `${kib(pack.size)} / ${mib(installed)}`, target: '' },
			{ measure: '6. Footprint: load time of nodes + credential (fresh process)', figure: ms(packageMs, 1), target: '' },
		],
	};
}

/** Bytes of every regular file under `dir` (symlinks not followed). */
function treeBytes(dir: string): number {
	let total = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) total += treeBytes(full);
		else if (entry.isFile()) total += fs.statSync(full).size;
	}
	return total;
}
