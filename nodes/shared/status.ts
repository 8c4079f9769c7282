export type CallStatus = 'in_progress' | 'completed' | 'failed' | 'cancelled';

/** The gateway's raw statuses, as Pine's own client maps them (keys lower-cased). */
const NORMALIZED: Record<string, CallStatus> = {
	completed: 'completed',
	hungupbypeer: 'completed',
	hungupbylocal: 'completed',
	timeout: 'completed',
	toolongsilence: 'completed',
	failed: 'failed',
	internalerror: 'failed',
	dialfailed: 'failed',
	noanswer: 'failed',
	declined: 'failed',
	cancelled: 'cancelled',
	canceled: 'cancelled',
	in_progress: 'in_progress',
	initiated: 'in_progress',
};

const TERMINAL: ReadonlySet<string> = new Set<CallStatus>(['completed', 'failed', 'cancelled']);

export interface NormalizedStatus {
	/** One of CallStatus, or the gateway's value when it is unknown to us. */
	status: string;
	/** The gateway's value, kept only when it differs from `status`. */
	rawStatus?: string;
}

export function normalizeStatus(raw: unknown): NormalizedStatus {
	if (typeof raw !== 'string' || raw.trim() === '') return { status: 'unknown' };
	const status = NORMALIZED[raw.trim().toLowerCase()] ?? raw;
	return status === raw ? { status } : { status, rawStatus: raw };
}

export function isTerminalStatus(status: string): boolean {
	return TERMINAL.has(status);
}

export function isInProgressStatus(status: string): boolean {
	return status === 'in_progress';
}
