/** Test data for the registry tests; free of jest so the child-process worker can use it too. */
import type { RegisteredCall } from '../../nodes/shared/call-registry';

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

let sequence = 0;

export function aCall(overrides: Partial<RegisteredCall> = {}): RegisteredCall {
	sequence++;
	return {
		callId: `call-${process.pid}-${sequence}`,
		pineUserId: 'user-1',
		workflowId: 'workflow-1',
		nodeName: 'Place Call',
		placedAt: new Date().toISOString(),
		calleeName: 'Dr. Smith Office',
		dialedNumber: '+14155550123',
		...overrides,
	};
}

/** A clock the test moves by hand. */
export class ManualClock {
	constructor(public time = Date.parse('2026-03-02T09:00:00.000Z')) {}

	readonly now = (): number => this.time;

	iso(): string {
		return new Date(this.time).toISOString();
	}

	advance(ms: number): void {
		this.time += ms;
	}
}
