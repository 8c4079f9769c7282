import { randomUUID } from 'node:crypto';
import type { ValidCallRequest } from './call-validation';
import type { CallPlan } from './scenarios';
import type { StatsRecorder } from './stats';
import type { TimerRegistry } from './timers';
import { buildSummary, buildTranscript } from './transcript';
import type { EmulatorCall } from './types';
import type { UserDirectory } from './users';

/** Simulated seconds a new call reports "initiated" before "in_progress". */
const INITIATED_SECONDS = 5;

export interface LiveCall {
	info: EmulatorCall;
	request: ValidCallRequest;
	plan: CallPlan;
	/** The terminal body, serialized once so GET and the stream always serve the same bytes. */
	resultJson?: string;
	lastEventId: number;
	endListeners: Set<() => void>;
}

interface CallStoreDeps {
	timers: TimerRegistry;
	users: UserDirectory;
	stats: StatsRecorder;
	msPerMinute: number;
}

/** Calls and their simulated clocks: each call ends on its own timer. */
export class CallStore {
	private readonly calls = new Map<string, LiveCall>();

	constructor(private readonly deps: CallStoreDeps) {}

	create(userId: string, request: ValidCallRequest, plan: CallPlan): LiveCall {
		const createdAt = Date.now();
		const realMs = this.simulatedToRealMs(plan.simulatedSeconds);
		const call: LiveCall = {
			info: {
				callId: randomUUID(),
				userId,
				request: structuredClone(request.raw),
				createdAt,
				endsAt: createdAt + realMs,
				rawStatus: plan.rawStatus,
				durationSeconds: plan.reportedSeconds,
				terminal: false,
			},
			request,
			plan,
			lastEventId: 0,
			endListeners: new Set(),
		};
		this.calls.set(call.info.callId, call);
		this.deps.timers.after(realMs, () => this.end(call));
		return call;
	}

	/** Another user's call is as unknown as a missing one. */
	find(userId: string, callId: string): LiveCall | undefined {
		const call = this.calls.get(callId);
		return call?.info.userId === userId ? call : undefined;
	}

	inProgress(userId: string): number {
		let count = 0;
		for (const call of this.calls.values()) {
			if (call.info.userId === userId && !call.info.terminal) count++;
		}
		return count;
	}

	list(): EmulatorCall[] {
		return [...this.calls.values()].map((call) => structuredClone(call.info));
	}

	statusJson(call: LiveCall): string {
		if (call.resultJson) return call.resultJson;
		const elapsedSeconds = ((Date.now() - call.info.createdAt) / this.deps.msPerMinute) * 60;
		return JSON.stringify({
			call_id: call.info.callId,
			status: elapsedSeconds < INITIATED_SECONDS ? 'initiated' : 'in_progress',
			duration_seconds: Math.min(Math.floor(elapsedSeconds), call.plan.reportedSeconds),
		});
	}

	/** Runs `listener` when the call ends (at once if it has). Returns an unsubscribe function. */
	whenEnded(call: LiveCall, listener: () => void): () => void {
		if (call.info.terminal) {
			listener();
			return () => undefined;
		}
		call.endListeners.add(listener);
		return () => call.endListeners.delete(listener);
	}

	nextEventId(call: LiveCall): number {
		call.lastEventId++;
		return call.lastEventId;
	}

	private simulatedToRealMs(seconds: number): number {
		return (seconds / 60) * this.deps.msPerMinute;
	}

	private end(call: LiveCall): void {
		const { info, plan, request } = call;
		call.resultJson = JSON.stringify({
			call_id: info.callId,
			status: plan.rawStatus,
			duration_seconds: plan.reportedSeconds,
			...(request.enableSummary ? { summary: buildSummary(request, plan) } : {}),
			transcript: buildTranscript(request, plan),
			credits_charged: plan.creditsCharged,
		});
		info.terminal = true;
		this.deps.stats.callEnded(info.callId, Date.now());
		this.deps.users.charge(info.userId, plan.creditsCharged);
		const listeners = [...call.endListeners];
		call.endListeners.clear();
		for (const listener of listeners) listener();
	}
}
