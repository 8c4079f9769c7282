import type { FaultPlan } from './types';

interface RequestFilter {
	count: number;
	method?: string;
	path?: string;
}

/** What to do to a request before it is handled, decided when it arrives. */
export interface RequestFaults {
	delayMs: number;
	reply?: 'error500' | 'nonJson502';
}

export type StreamFault = 'none' | 'drop' | 'silent';

function matches(filter: RequestFilter | undefined, method: string, path: string): boolean {
	if (!filter || filter.count <= 0) return false;
	if (filter.method && filter.method.toUpperCase() !== method.toUpperCase()) return false;
	return !filter.path || path.includes(filter.path);
}

/** Pending faults; each matching request consumes one, in arrival order. */
export class FaultBook {
	private plan: FaultPlan = {};

	/** Faults named in `plan` replace their pending counters; the others are kept. */
	add(plan: FaultPlan): void {
		this.plan = { ...this.plan, ...structuredClone(plan) };
	}

	clear(): void {
		this.plan = {};
	}

	forRequest(method: string, path: string): RequestFaults {
		const faults: RequestFaults = { delayMs: 0 };
		const { slow, error500, nonJson502 } = this.plan;
		if (slow && matches(slow, method, path)) {
			slow.count--;
			faults.delayMs = slow.delayMs;
		}
		if (error500 && matches(error500, method, path)) {
			error500.count--;
			faults.reply = 'error500';
		} else if (nonJson502 && matches(nonJson502, method, path)) {
			nonJson502.count--;
			faults.reply = 'nonJson502';
		}
		return faults;
	}

	takeResetAfterPost(): boolean {
		return this.take('resetAfterPost');
	}

	takeStreamFault(): StreamFault {
		if (this.take('dropStreams')) return 'drop';
		if (this.take('silentStreams')) return 'silent';
		return 'none';
	}

	private take(name: 'resetAfterPost' | 'dropStreams' | 'silentStreams'): boolean {
		const left = this.plan[name] ?? 0;
		if (left <= 0) return false;
		this.plan[name] = left - 1;
		return true;
	}
}
