/*
 * Child of measures/footprint.ts (plain JavaScript: no ts-node in the process being timed).
 * Loads an installed n8n-nodes-pine-voice the way n8n's loader does: n8n-workflow is already in
 * memory, then every file listed in package.json "n8n" is required and its class instantiated.
 * argv: <package dir> [module]. With a module name (e.g. undici), times requiring only that module,
 * as the package resolves it. Prints one JSON line.
 */
'use strict';
const path = require('node:path');
const { createRequire } = require('node:module');

const packageDir = process.argv[2];
const requireFromPackage = createRequire(path.join(packageDir, 'package.json'));
const manifest = require(path.join(packageDir, 'package.json'));
const only = process.argv[3];
const files = only ? [] : [...manifest.n8n.nodes, ...manifest.n8n.credentials].map((file) => path.join(packageDir, file));

const started = process.hrtime.bigint();
requireFromPackage('n8n-workflow');
const workflowLoaded = process.hrtime.bigint();
const before = new Set(Object.keys(require.cache));
let classes = 0;
if (only) requireFromPackage(only);
for (const file of files) {
	for (const exported of Object.values(require(file))) {
		if (typeof exported === 'function') {
			new exported();
			classes++;
		}
	}
}
const done = process.hrtime.bigint();
const toMs = (ns) => Number(ns) / 1e6;

/** Newly loaded module files, counted by the package they belong to (the last node_modules/<name>). */
function modulesByPackage(files) {
	const counts = {};
	for (const file of files) {
		const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](?!.*node_modules)/.exec(file);
		const name = match ? match[1] : '(other)';
		counts[name] = (counts[name] || 0) + 1;
	}
	return counts;
}
process.stdout.write(
	JSON.stringify({
		workflowMs: toMs(workflowLoaded - started),
		packageMs: toMs(done - workflowLoaded),
		files: files.length,
		classes,
		modules: modulesByPackage(Object.keys(require.cache).filter((file) => !before.has(file))),
	}) + '\n',
);
