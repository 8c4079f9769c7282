import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Regions Pine Voice serves (pine-voice-api.txt, "Rate Limits"). */
export const SUPPORTED_REGIONS: Record<string, string> = {
	US: 'United States',
	CA: 'Canada',
	PR: 'Puerto Rico',
	GB: 'United Kingdom',
	AU: 'Australia',
	NZ: 'New Zealand',
	SG: 'Singapore',
	IE: 'Ireland',
	HK: 'Hong Kong',
};

export const SUPPORTED_REGIONS_TEXT = Object.entries(SUPPORTED_REGIONS)
	.map(([code, name]) => `${name} (${code})`)
	.join(', ');

export type PhoneResult = { ok: true; e164: string; region: string } | { ok: false; reason: string };

export function isSupportedRegion(code: string): boolean {
	return Object.prototype.hasOwnProperty.call(SUPPORTED_REGIONS, code.toUpperCase());
}

/**
 * Reads a phone number as people type it in spreadsheets: E.164 (`+14155550100`), or a national
 * format (`(415) 555-0100`) when a default region is given. Answers the E.164 form Pine requires.
 */
export function normalizePhoneNumber(input: string, defaultRegion?: string): PhoneResult {
	const text = input.trim();
	if (!/\d/.test(text)) return { ok: false, reason: `"${input}" is not a phone number` };
	const international = text.startsWith('+') || text.startsWith('00');
	if (!international && !defaultRegion) {
		return {
			ok: false,
			reason: `"${input}" has no country code: write it as +1 415 555 0100, or set Options > Default Country`,
		};
	}
	const parsed = parsePhoneNumberFromString(
		text.startsWith('00') ? `+${text.slice(2)}` : text,
		defaultRegion?.toUpperCase() as CountryCode | undefined,
	);
	if (!parsed || !parsed.isValid()) return { ok: false, reason: `"${input}" is not a valid phone number` };
	const region = parsed.country;
	if (!region || !isSupportedRegion(region)) {
		return {
			ok: false,
			reason: `${parsed.number} is in a region Pine Voice does not call (${region ?? `+${parsed.countryCallingCode}`}). Supported: ${SUPPORTED_REGIONS_TEXT}`,
		};
	}
	if (parsed.getType() === 'PREMIUM_RATE') {
		return { ok: false, reason: `${parsed.number} is a premium-rate number, which Pine Voice refuses to call` };
	}
	return { ok: true, e164: parsed.number, region };
}
