import type { CallRegistry } from './call-registry';
import { CallError, PineVoiceError } from './errors';
import type { CallRequest } from './types';
import type { PineVoiceClient } from './voice-client';

export interface DedupeSettings {
	/** Identifies the row across runs, e.g. the sheet's row id, or the number plus the date. */
	key: string;
	windowMs: number;
	/** Release a key whose earlier attempt was never confirmed (after the user checked with Pine). */
	releaseUnconfirmed: boolean;
}

export interface PlacedOnce {
	call_id: string;
	/** Pine's answer to the POST; absent when the call was placed by an earlier run. */
	status?: string;
	placedAt: string;
	/** true: an earlier run placed this call; nothing was placed now. */
	deduplicated: boolean;
}

/** Failures after which Pine surely placed no call: the key can be released for the next run. */
function surelyNotPlaced(error: unknown): boolean {
	return error instanceof PineVoiceError && error.code !== 'CALL_STATE_UNKNOWN' && error.code !== 'CANCELLED';
}

/**
 * Places each dedupe key's call at most once across runs, restarts and crashes. The intent is
 * recorded durably before the POST and the call id after it, so a run that died in between
 * leaves the key "unconfirmed" and later runs refuse it until the user releases it. Pine has no
 * idempotency key; this is ours. Items of one run that share a key wait for the first one.
 */
export class PlaceOnce {
	private readonly inFlight = new Map<string, Promise<unknown>>();

	constructor(
		private readonly registry: CallRegistry,
		private readonly client: PineVoiceClient,
	) {}

	async place(request: CallRequest, dedupe: DedupeSettings, signal?: AbortSignal): Promise<PlacedOnce> {
		const earlier = this.inFlight.get(dedupe.key);
		const attempt = (earlier ?? Promise.resolve()).catch(() => undefined).then(async () => await this.attempt(request, dedupe, signal));
		this.inFlight.set(dedupe.key, attempt);
		return await attempt;
	}

	private async attempt(request: CallRequest, dedupe: DedupeSettings, signal?: AbortSignal): Promise<PlacedOnce> {
		let claim = await this.registry.claimKey(dedupe.key, dedupe.windowMs);
		if (claim.state === 'unconfirmed' && dedupe.releaseUnconfirmed) {
			await this.registry.releaseKey(dedupe.key);
			claim = await this.registry.claimKey(dedupe.key, dedupe.windowMs);
		}
		if (claim.state === 'placed') {
			return { call_id: claim.callId, placedAt: claim.placedAt, deduplicated: true };
		}
		if (claim.state === 'unconfirmed') throw unconfirmedKeyError(dedupe.key, claim.startedAt);

		const placed = await this.client.createCall(request, { signal }).catch(async (error: unknown) => {
			if (surelyNotPlaced(error)) await this.registry.releaseKey(dedupe.key);
			throw error;
		});
		await this.registry.confirmKey(dedupe.key, placed.call_id);
		return { ...placed, placedAt: new Date().toISOString(), deduplicated: false };
	}
}

function unconfirmedKeyError(key: string, startedAt: string): CallError {
	return new CallError(
		'DEDUPE_UNCONFIRMED',
		`An earlier attempt with dedupe key "${key}" started at ${startedAt} but was never confirmed: the call may have been placed`,
		{
			hint:
				'Check with Pine (your Pine account, or Get Call if you have the call ID) whether that call was placed. ' +
				'If it was not, run again with Options > Release Unconfirmed Key turned on; if it was, leave the key until its window ends.',
		},
	);
}
