/*
 * `npm run bench`: runs every measure against the Pine API emulator, side by side in one process
 * (memory and trigger scale in child processes), and writes bench/RESULTS.md.
 */
import './lib/setup-env';

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { machineInfo } from './lib/machine';
import { resultsPage } from './lib/markdown';
import type { Section } from './lib/report';
import { measureFootprint } from './measures/footprint';
import { measureLatency } from './measures/latency';
import { measureMakespan } from './measures/makespan';
import { measureMemory } from './measures/memory';
import { requestsSection } from './measures/requests';
import { measureTriggerScale } from './measures/trigger-scale';

/** The whole bench stays well under 5 minutes on a 2-core machine; this only guards against a hang. */
const HARD_LIMIT_MS = 9 * 60_000;
const RESULTS = path.join(__dirname, 'RESULTS.md');

async function main(): Promise<void> {
	const started = Date.now();
	const loadAtStart = os.loadavg()[0];
	const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
		const stepStarted = Date.now();
		process.stderr.write(`bench: ${name}...`);
		const result = await work();
		process.stderr.write(` ${((Date.now() - stepStarted) / 1000).toFixed(1)} s\n`);
		return result;
	};

	const makespan = await step('1. batch makespan', () => measureMakespan({ msPerMinute: 120, runs: 5, sequentialRuns: 3, block: 0 }));
	const latency = await step('2. latency', () => measureLatency({ msPerMinute: 600, heartbeatMs: 50, samples: 25, nodeSamples: 10, block: 50 }));
	const trigger = await step('4. trigger scale', () => measureTriggerScale({ calls: 1000, runs: 3, block: 100 }));
	const memory = await step('5. memory', () => measureMemory({ items: 200, transcriptBytes: 50_000, runs: 3, msPerMinute: 20, block: 200 }));
	const footprint = await step('6. footprint', () => measureFootprint({ loadRuns: 7 }));

	const sections: Section[] = [makespan.section, latency.section, requestsSection(makespan, latency), trigger, memory, footprint];
	const page = resultsPage({
		machine: machineInfo(),
		loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
		totalSeconds: (Date.now() - started) / 1000,
		sections,
	});
	fs.writeFileSync(RESULTS, page);
	process.stderr.write(`bench: wrote ${path.relative(process.cwd(), RESULTS)} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

const guard = setTimeout(() => {
	process.stderr.write(`bench: still running after ${HARD_LIMIT_MS / 60_000} minutes, giving up\n`);
	process.exit(1);
}, HARD_LIMIT_MS);
guard.unref();

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	},
);
