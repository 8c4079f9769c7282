/**
 * Packs this package and installs the tarball into an n8n user folder the way n8n 2.41's community
 * package installer does (CommunityPackagesService.downloadPackage): unpack into
 * `.n8n/nodes/node_modules/<name>`, drop dev, peer and optional dependencies, `npm install` there
 * with scripts off, and record the package in `.n8n/nodes/package.json`.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { cleanEnv, makeTempDir, removeDir, run, tail } from './process';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-pine-voice';

/** `npm pack` of the repository (which must be built); answers the tarball's path. */
export async function packPackage(destination: string): Promise<string> {
	const result = await run('npm', ['pack', '--silent', '--pack-destination', destination], {
		cwd: REPO_ROOT,
		timeoutMs: 120_000,
		env: cleanEnv(),
	});
	if (result.code !== 0) throw new Error(`npm pack failed:\n${tail(result.stderr)}`);
	const name = result.stdout.trim().split('\n').pop() ?? '';
	if (!name.endsWith('.tgz')) throw new Error(`npm pack printed no tarball name:\n${result.stdout}`);
	return join(destination, name);
}

export interface InstalledPackage {
	directory: string;
	version: string;
	/** Packages npm put in the package's own node_modules. */
	dependencies: string[];
	ms: number;
}

export async function installLikeN8n(tarball: string, n8nUserFolder: string): Promise<InstalledPackage> {
	const started = Date.now();
	const nodesDir = join(n8nUserFolder, '.n8n', 'nodes');
	const directory = join(nodesDir, 'node_modules', PACKAGE_NAME);
	removeDir(directory);
	mkdirSync(directory, { recursive: true });

	const untar = await run('tar', ['-xzf', tarball, '-C', directory, '--strip-components=1'], {
		timeoutMs: 60_000,
	});
	if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`);

	const packageJsonPath = join(directory, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(
		readFileSync(packageJsonPath, 'utf8'),
	) as Record<string, unknown> & { version: string };
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2), 'utf8');

	// The same flags as n8n's installer, from a clean environment (no npm_config_* of an outer `npm run`).
	const install = await run(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{
			cwd: directory,
			timeoutMs: 300_000,
			env: cleanEnv(),
		},
	);
	if (install.code !== 0) throw new Error(`npm install in ${directory} failed:\n${tail(install.stderr)}`);

	// n8n's ledger of installed community packages (mutatePackageJsonDependencies).
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: packageJson.version } },
			null,
			2,
		),
		'utf8',
	);

	const modules = join(directory, 'node_modules');
	const dependencies = readdirSync(modules).flatMap((entry) =>
		entry.startsWith('@') ? readdirSync(join(modules, entry)).map((sub) => `${entry}/${sub}`) : [entry],
	);
	return { directory, version: packageJson.version, dependencies, ms: Date.now() - started };
}

/** Builds nothing: packs the built repository into a temp folder and installs it into `n8nUserFolder`. */
export async function packAndInstall(n8nUserFolder: string): Promise<InstalledPackage & { tarball: string }> {
	const packDir = makeTempDir('pine-voice-pack-');
	try {
		const tarball = await packPackage(packDir);
		const installed = await installLikeN8n(tarball, n8nUserFolder);
		return { ...installed, tarball: tarball.split('/').pop() ?? tarball };
	} finally {
		removeDir(packDir);
	}
}
