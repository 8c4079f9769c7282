import type { EmulatorStats, RequestRecord } from './types';

/** Oldest request records are dropped beyond this, so a long-running emulator stays bounded. */
const MAX_REQUEST_RECORDS = 10_000;

export class StatsRecorder {
	private current: EmulatorStats = StatsRecorder.empty();

	private static empty(): EmulatorStats {
		return { postsReceived: 0, callsCreated: 0, maxConcurrency: {}, requests: [], completions: {} };
	}

	/** The record is kept by reference: its status is filled in when the answer is written. */
	request(record: RequestRecord): void {
		this.current.requests.push(record);
		if (this.current.requests.length > MAX_REQUEST_RECORDS) this.current.requests.shift();
	}

	postReceived(): void {
		this.current.postsReceived++;
	}

	callCreated(userId: string, inProgressNow: number): void {
		this.current.callsCreated++;
		const seen = this.current.maxConcurrency[userId] ?? 0;
		this.current.maxConcurrency[userId] = Math.max(seen, inProgressNow);
	}

	callEnded(callId: string, at: number): void {
		this.current.completions[callId] = at;
	}

	snapshot(): EmulatorStats {
		return structuredClone(this.current);
	}

	reset(): void {
		this.current = StatsRecorder.empty();
	}
}
