/** Memory probes for bench children. */

export interface MemoryWatch {
	stop(): MemoryPeak;
}

export interface MemoryPeak {
	/** process.memoryUsage().rss when the watch started (after a GC when --expose-gc is on). */
	startRss: number;
	startHeapUsed: number;
	/** Highest values sampled while watching. */
	peakRss: number;
	peakHeapUsed: number;
	/** process.resourceUsage().maxRSS in bytes at the end: the peak of the whole process lifetime. */
	maxRss: number;
}

/** Forces a GC if the process runs with --expose-gc. */
export function collectGarbage(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

export function watchMemory(everyMs = 5): MemoryWatch {
	collectGarbage();
	const start = process.memoryUsage();
	let peakRss = start.rss;
	let peakHeapUsed = start.heapUsed;
	const sample = () => {
		const now = process.memoryUsage();
		peakRss = Math.max(peakRss, now.rss);
		peakHeapUsed = Math.max(peakHeapUsed, now.heapUsed);
	};
	const timer = setInterval(sample, everyMs);
	return {
		stop() {
			clearInterval(timer);
			sample();
			return {
				startRss: start.rss,
				startHeapUsed: start.heapUsed,
				peakRss,
				peakHeapUsed,
				maxRss: process.resourceUsage().maxRSS * 1024,
			};
		},
	};
}
