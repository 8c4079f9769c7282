/** Every timer the emulator starts, kept so that stop() can clear them all and let the process exit. */
export class TimerRegistry {
	private readonly handles = new Set<NodeJS.Timeout>();

	after(ms: number, run: () => void): NodeJS.Timeout {
		const handle = setTimeout(() => {
			this.handles.delete(handle);
			run();
		}, ms);
		this.handles.add(handle);
		return handle;
	}

	every(ms: number, run: () => void): NodeJS.Timeout {
		const handle = setInterval(run, ms);
		this.handles.add(handle);
		return handle;
	}

	/** Resolves after `ms`, or never if the registry is cleared first (the server is stopping). */
	delay(ms: number): Promise<void> {
		return new Promise((resolve) => this.after(ms, resolve));
	}

	cancel(handle: NodeJS.Timeout): void {
		// clearTimeout also clears intervals in Node.
		clearTimeout(handle);
		this.handles.delete(handle);
	}

	cancelAll(): void {
		for (const handle of this.handles) clearTimeout(handle);
		this.handles.clear();
	}
}
