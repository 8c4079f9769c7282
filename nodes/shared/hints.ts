import type { PineErrorCode } from './errors';

const SUPPORTED_REGIONS =
	'the US, Canada and Puerto Rico (+1), the UK (+44), Australia (+61), New Zealand (+64), ' +
	'Singapore (+65), Ireland (+353) and Hong Kong (+852)';

const RENEW_TOKEN =
	'Run the Pine Voice Auth node again and paste the new access token into the Pine Voice credential.';

/** What a no-code n8n user can do about each error. */
const HINTS: Record<PineErrorCode, string> = {
	AUTH_REQUIRED:
		'Check the Pine Voice credential: it needs both the access token and the user ID that the Pine Voice Auth node returned.',
	TOKEN_EXPIRED: RENEW_TOKEN,
	UNAUTHORIZED: `Pine did not accept the access token. ${RENEW_TOKEN}`,
	ACCESS_DENIED:
		'Check that the user ID in the Pine Voice credential belongs to the same account as the access token.',
	SUBSCRIPTION_REQUIRED:
		'Placing calls needs an active Pine Pro subscription. Subscribe at 19pine.ai, then run the workflow again.',
	USER_NOT_FOUND:
		'Check the spelling of the email, or sign up at 19pine.ai first (calls also need a Pro subscription and a phone number on the account).',
	INVALID_CODE:
		'Enter the code from the latest Pine email exactly as written, or run Request Code again for a new one.',
	CODE_EXPIRED: 'Codes expire after a few minutes. Run Request Code again and use the new code right away.',
	INVALID_PHONE: `Use the full number in international format, e.g. +14155551234. Pine calls ${SUPPORTED_REGIONS}.`,
	PHONE_REQUIRED:
		'Fill in the phone number to call. If it is filled in, add your own phone number to your Pine account: Pine needs one before it places calls.',
	INSUFFICIENT_DETAIL:
		'Make the Call Objective specific (what, for whom, when) and add background in Callee Context.',
	DND_BLOCKED: 'This number is on a do-not-call list, so Pine will not call it. Remove it from your list.',
	POLICY_VIOLATION:
		'Pine refuses emergency, premium-rate and unsupported-country numbers, vague objectives, and negotiator calls without a strategy in Detailed Instructions.',
	NOT_FOUND: 'Check the call ID: it must be one that Place Call returned for this Pine account.',
	INSUFFICIENT_CREDITS:
		'A call needs at least 50 credits (50 per call plus 20 per minute). Add credits to your Pine account or lower Max Duration.',
	INVALID_REQUEST: 'Check the call fields: Pine could not accept the request as sent.',
	CALL_STATE_UNKNOWN:
		'The call may have been placed. Check with Get Call or your Pine account before trying again — retrying could phone the person twice.',
	RATE_LIMITED:
		'Pine allows 5 calls in progress per account and limits calls to the same number per day. Lower Concurrency or wait for running calls to finish.',
	SERVER_ERROR: 'Pine had a temporary problem. Try again in a few minutes.',
	NETWORK_ERROR:
		'Check the Gateway URL in the Pine Voice credential and the network or proxy settings (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) of your n8n server.',
	INVALID_RESPONSE:
		'Check that the URL points to Pine itself and not to a web page or a proxy login page.',
	INVALID_URL:
		'Use a full http(s) address without a user name or password, e.g. https://agent3-api-gateway-staging.19pine.ai.',
	WAIT_TIMEOUT: 'The call may still be running. Use Get Call with this call ID later to fetch the result.',
	CANCELLED:
		'Stopping the workflow does not hang up a call that was already placed: use Get Call with its call ID to fetch the result.',
};

export function hintFor(code: string): string | undefined {
	return (HINTS as Record<string, string | undefined>)[code];
}
