const tails = new Map<string, Promise<void>>();

/**
 * Runs `work` after every earlier piece of work queued under the same key in this process has
 * finished. Registry instances over one directory then take turns in memory instead of
 * spinning on the file lock against each other.
 */
export async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	let finish!: () => void;
	const done = new Promise<void>((resolve) => (finish = resolve));
	const tail = previous.then(() => done);
	tails.set(key, tail);
	await previous;
	try {
		return await work();
	} finally {
		finish();
		if (tails.get(key) === tail) tails.delete(key);
	}
}
