import type { ValidCallRequest } from './call-validation';
import type { CallScript } from './types';

/** Raw statuses of calls that never connected: no duration, no charge, no transcript. */
const NEVER_CONNECTED = new Set(['NoAnswer', 'Failed', 'DialFailed', 'Declined', 'InternalError', 'Cancelled']);
/** Simulated seconds a never-connected call spends ringing before it ends. */
const RINGING_SECONDS = 30;

const STATUS_BY_LAST_FOUR: Record<string, string> = {
	'0101': 'HungupByPeer',
	'0102': 'NoAnswer',
	'0103': 'Cancelled',
	'0104': 'Failed',
	'0105': 'DialFailed',
	'0106': 'Declined',
	'0107': 'Timeout',
	'0108': 'TooLongSilence',
	'0109': 'InternalError',
	'0110': 'HungupByLocal',
};

const BASE_CREDITS = 50;
const CREDITS_PER_MINUTE = 20;

/** How one call will unfold, fixed when it is created. */
export interface CallPlan {
	rawStatus: string;
	connected: boolean;
	/** duration_seconds reported once terminal. */
	reportedSeconds: number;
	/** Simulated seconds until the call is terminal (ringing time for never-connected calls). */
	simulatedSeconds: number;
	creditsCharged: number;
	transcriptBytes?: number;
}

export function statusForNumber(e164: string): string {
	return STATUS_BY_LAST_FOUR[e164.slice(-4)] ?? 'Completed';
}

/** Behaviour per dialed number: scripted by tests, else derived from the last four digits. */
export class ScenarioBook {
	private readonly scripts = new Map<string, CallScript>();

	script(e164: string, script: CallScript): void {
		this.scripts.set(e164, { ...script });
	}

	planFor(call: ValidCallRequest, defaultDurationSeconds: number): CallPlan {
		const script = this.scripts.get(call.dialedNumber) ?? {};
		const rawStatus = script.rawStatus ?? statusForNumber(call.dialedNumber);
		if (NEVER_CONNECTED.has(rawStatus)) {
			return { rawStatus, connected: false, reportedSeconds: 0, simulatedSeconds: RINGING_SECONDS, creditsCharged: 0 };
		}
		const wanted = Math.max(0, Math.round(script.durationSeconds ?? defaultDurationSeconds));
		const seconds = Math.min(wanted, call.maxDurationMinutes * 60);
		return {
			rawStatus,
			connected: true,
			reportedSeconds: seconds,
			simulatedSeconds: seconds,
			creditsCharged: BASE_CREDITS + CREDITS_PER_MINUTE * Math.ceil(seconds / 60),
			transcriptBytes: script.transcriptBytes,
		};
	}
}
