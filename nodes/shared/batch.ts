/**
 * Runs `worker` for indexes 0..count-1 with at most `limit` in flight (a sliding window: a new
 * one starts as soon as any finishes). Results keep input order. The worker must not throw;
 * it returns its failure as a value so that one bad item never stops the batch.
 */
export async function mapWithConcurrency<T>(
	count: number,
	limit: number,
	worker: (index: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	const lane = async () => {
		while (next < count) {
			const index = next++;
			results[index] = await worker(index);
		}
	};
	const lanes = Math.max(1, Math.min(limit, count));
	await Promise.all(Array.from({ length: lanes }, lane));
	return results;
}
