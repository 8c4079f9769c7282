import { PineVoiceError } from './errors';

export const DEFAULT_AUTH_URL = 'https://www.19pine.ai';
export const DEFAULT_GATEWAY_URL = 'https://agent3-api-gateway-staging.19pine.ai';

/**
 * Checks a configured base URL and returns it without trailing slashes.
 * Only plain http(s) addresses are accepted: credentials in a URL would end up in logs.
 */
export function normalizeBaseUrl(value: string, label: string): string {
	const invalid = (reason: string) => new PineVoiceError('INVALID_URL', `The ${label} ${reason}.`);
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		throw invalid('is not a valid URL');
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw invalid(`must start with https:// or http://, not ${url.protocol}//`);
	}
	if (url.username || url.password) throw invalid('must not contain a user name or password');
	if (url.search || url.hash) throw invalid('must not contain a query (?…) or fragment (#…)');
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
