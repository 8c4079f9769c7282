/** Runs worker(0..count-1) with at most `slots` in flight, starting each as soon as one finishes. Keeps order. */
export async function slidingWindow<T>(count: number, slots: number, worker: (index: number) => Promise<T>): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	const lane = async () => {
		while (next < count) {
			const index = next++;
			results[index] = await worker(index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(slots, count)) }, lane));
	return results;
}
