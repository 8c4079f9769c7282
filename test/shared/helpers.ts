/** Shared pieces of the client tests: emulator users, call requests, and a token-leak witness. */
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';

import { PineVoiceClient, PineVoiceError, type CallRequest, type ClientEvent, type Logger } from '../../nodes/shared';
import type { PineVoiceClientOptions } from '../../nodes/shared/voice-client';
import type { EmulatorUser, RunningEmulator } from '../emulator/types';

/** Every sentinel token starts with this, so one search finds a leak of any of them. */
export const SENTINEL = 'SENTINEL-TOKEN-3f9a';

/** Small timings so that calls end in milliseconds. */
export const FAST_EMULATOR = { msPerMinute: 10, heartbeatMs: 20, retryAfterSeconds: 0.05 } as const;
export const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 } as const;

export function sentinelUser(emulator: RunningEmulator, overrides: Partial<EmulatorUser> = {}): EmulatorUser {
	const id = randomUUID();
	const user: EmulatorUser = {
		email: `user-${id}@example.com`,
		userId: `user-${id}`,
		token: `${SENTINEL}-${id}`,
		credits: 1_000_000,
		subscription: true,
		...overrides,
	};
	emulator.controls.addUser(user);
	return user;
}

let numberSequence = 1000;
/** A distinct US number ending in `lastFour` (the emulator picks the call's outcome from it). */
export function phoneEnding(lastFour: string): string {
	numberSequence++;
	return `+1415${numberSequence.toString().padStart(3, '0').slice(-3)}${lastFour}`;
}

export function callRequest(overrides: Partial<CallRequest> = {}): CallRequest {
	return {
		dialed_number: phoneEnding('0123'),
		callee_name: 'Dr. Smith Office',
		callee_context: 'Local dentist office, open Mon-Fri 9am-5pm',
		call_objective: 'Schedule a dental cleaning for next Tuesday afternoon',
		caller: 'communicator',
		...overrides,
	};
}

/** A port nothing listens on: connecting to it is refused before any request is sent. */
export async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	if (address === null || typeof address === 'string') throw new Error('no port');
	return address.port;
}

/**
 * Collects everything the client produced (errors, results, log lines, events) so that a
 * file's last test can check that no access token ever showed up in any of it.
 */
export class LeakWitness {
	private readonly seen: unknown[] = [];
	readonly events: ClientEvent[] = [];

	readonly logger: Logger = {
		debug: (message, meta) => this.seen.push(message, meta),
		warn: (message, meta) => this.seen.push(message, meta),
	};

	client(emulator: RunningEmulator, user: EmulatorUser, options: Partial<PineVoiceClientOptions> = {}): PineVoiceClient {
		return new PineVoiceClient({
			accessToken: user.token,
			userId: user.userId,
			gatewayUrl: emulator.url,
			logger: this.logger,
			retry: FAST_RETRY,
			onEvent: (event) => {
				this.events.push(event);
				this.seen.push(event);
			},
			...options,
		});
	}

	see<T>(value: T): T {
		this.seen.push(value);
		return value;
	}

	/** Awaits a promise that must fail with a PineVoiceError, and keeps the error for the leak check. */
	async failure(promise: Promise<unknown>): Promise<PineVoiceError> {
		const error = await promise.then(
			(value) => {
				throw new Error(`expected a PineVoiceError, got ${JSON.stringify(value)}`);
			},
			(reason: unknown) => reason,
		);
		if (!(error instanceof PineVoiceError)) throw error;
		return this.see(error);
	}

	/** Every form in which a value could reach a user, a log or an output item. */
	texts(): string[] {
		return this.seen.flatMap((value) => {
			if (value instanceof Error) {
				const { message, stack } = value;
				const hint = value instanceof PineVoiceError ? value.hint : undefined;
				return [message, stack ?? '', hint ?? '', JSON.stringify(value), String(value)];
			}
			return [JSON.stringify(value) ?? String(value)];
		});
	}

	get count(): number {
		return this.seen.length;
	}
}

export function waitUntilEnded(emulator: RunningEmulator, callId: string): Promise<void> {
	return until(() => emulator.controls.calls().find((call) => call.callId === callId)?.terminal === true);
}

/** Resolves once `condition` holds; fails the test instead of spinning forever. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
