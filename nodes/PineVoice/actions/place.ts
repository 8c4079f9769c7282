import type { IExecuteFunctions } from 'n8n-workflow';

import { buildCallRequest, readText } from '../../shared/call-input';
import { CallRegistry } from '../../shared/call-registry';
import { InputError } from '../../shared/input-error';
import { PlaceOnce, type DedupeSettings, type PlacedOnce } from '../../shared/place-once';
import type { CallRequest } from '../../shared/types';
import type { PineVoiceClient } from '../../shared/voice-client';
import { readCallFields, readOptions } from './read-parameters';

const HOUR_MS = 3_600_000;
const MAX_DEDUPE_WINDOW_HOURS = 720;

export interface PlaceInput {
	request: CallRequest;
	dedupe?: DedupeSettings;
}

/** The call fields and dedupe options of one item, checked before any request. */
export function readPlaceInput(context: IExecuteFunctions, itemIndex: number): PlaceInput {
	const request = buildCallRequest(readCallFields(context, itemIndex));
	const options = readOptions(context, itemIndex);
	const key = readText(options.dedupeKey, 'dedupeKey', 'Dedupe Key');
	if (!key) return { request };
	const hours = Number(options.dedupeWindowHours ?? 24);
	if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_DEDUPE_WINDOW_HOURS) {
		throw new InputError(
			'dedupeWindowHours',
			`Dedupe Window (Hours) must be more than 0 and at most ${MAX_DEDUPE_WINDOW_HOURS}, not ${JSON.stringify(options.dedupeWindowHours)}`,
		);
	}
	return {
		request,
		dedupe: { key, windowMs: hours * HOUR_MS, releaseUnconfirmed: options.releaseUnconfirmedKey === true },
	};
}

/** Places one item's call: once per dedupe key when the item has one, else plainly. */
export function callPlacer(client: PineVoiceClient, signal?: AbortSignal) {
	let placeOnce: PlaceOnce | undefined;
	return async ({ request, dedupe }: PlaceInput): Promise<PlacedOnce> => {
		if (dedupe) {
			placeOnce ??= new PlaceOnce(new CallRegistry(), client);
			return await placeOnce.place(request, dedupe, signal);
		}
		const placed = await client.createCall(request, { signal });
		return { ...placed, placedAt: new Date().toISOString(), deduplicated: false };
	};
}
