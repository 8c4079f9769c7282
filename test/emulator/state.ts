import type { ServerResponse } from 'node:http';
import { CallStore } from './calls';
import { FaultBook } from './faults';
import { ScenarioBook } from './scenarios';
import { StatsRecorder } from './stats';
import { TimerRegistry } from './timers';
import { DEMO_USER, type EmulatorControls, type EmulatorOptions } from './types';
import { UserDirectory } from './users';
import { VerificationCodes } from './verification-codes';

export interface Settings {
	msPerMinute: number;
	heartbeatMs: number;
	retryAfterSeconds: number;
	maxConcurrentCalls: number;
	defaultDurationSeconds: number;
}

function settingsFrom(options: EmulatorOptions): Settings {
	return {
		msPerMinute: options.msPerMinute ?? 10,
		heartbeatMs: options.heartbeatMs ?? 50,
		retryAfterSeconds: options.retryAfterSeconds ?? 1,
		maxConcurrentCalls: options.maxConcurrentCalls ?? 5,
		defaultDurationSeconds: options.defaultDurationSeconds ?? 180,
	};
}

/** Everything one emulator instance knows, shared by its routes and its controls. */
export class EmulatorState {
	readonly settings: Settings;
	readonly timers = new TimerRegistry();
	readonly users = new UserDirectory();
	readonly codes = new VerificationCodes();
	readonly scenarios = new ScenarioBook();
	readonly faults = new FaultBook();
	readonly stats = new StatsRecorder();
	readonly calls: CallStore;
	readonly openStreams = new Set<ServerResponse>();

	constructor(options: EmulatorOptions) {
		this.settings = settingsFrom(options);
		this.users.add(DEMO_USER);
		for (const user of options.users ?? []) this.users.add(user);
		this.calls = new CallStore({
			timers: this.timers,
			users: this.users,
			stats: this.stats,
			msPerMinute: this.settings.msPerMinute,
		});
	}

	controls(): EmulatorControls {
		return {
			stats: () => this.stats.snapshot(),
			resetStats: () => this.stats.reset(),
			faults: (plan) => this.faults.add(plan),
			clearFaults: () => this.faults.clear(),
			scriptNumber: (e164, script) => this.scenarios.script(e164, script),
			addUser: (user) => this.users.add(user),
			setCredits: (userId, credits) => this.users.setCredits(userId, credits),
			expireToken: (token) => this.users.expireToken(token),
			lastCode: (email) => this.codes.lastSent(email),
			expireCodes: () => this.codes.expireAll(),
			calls: () => this.calls.list(),
			inProgress: (userId) => this.calls.inProgress(userId),
			openStreams: () => this.openStreams.size,
			credits: (userId) => this.users.get(userId)?.credits,
		};
	}
}
