/**
 * Ideal schedules of calls of known durations on `slots` parallel lines (Pine allows 5 calls in
 * progress per user), with zero overhead: the physical limit a batch runner can reach.
 */

/** Greedy list scheduling: each job, in the given order, starts on the line that frees first. */
export function listScheduleMakespan(durations: number[], slots: number): number {
	const freeAt = new Array<number>(Math.max(1, slots)).fill(0);
	for (const duration of durations) {
		let line = 0;
		for (let i = 1; i < freeAt.length; i++) if (freeAt[i] < freeAt[line]) line = i;
		freeAt[line] += duration;
	}
	return Math.max(...freeAt);
}

/** Longest Processing Time first: list scheduling after sorting the jobs longest first. */
export function lptMakespan(durations: number[], slots: number): number {
	return listScheduleMakespan([...durations].sort((a, b) => b - a), slots);
}

/** No schedule can beat the longest job, nor the total work spread evenly over every line. */
export function makespanLowerBound(durations: number[], slots: number): number {
	const total = durations.reduce((sum, d) => sum + d, 0);
	return Math.max(Math.max(...durations), total / slots);
}
