export { PineAuthClient, type PineAuthClientOptions, type VerifiedAccount } from './auth-client';
export { DEFAULT_AUTH_URL, DEFAULT_GATEWAY_URL, normalizeBaseUrl } from './base-url';
export {
	AuthError,
	CallError,
	errorFromResponse,
	PineVoiceError,
	RateLimitError,
	type AuthErrorCode,
	type CallErrorCode,
	type PineErrorCode,
} from './errors';
export { hintFor } from './hints';
export { USER_AGENT } from './http';
export { toCallResult } from './payloads';
export { parseRetryAfter } from './retry-after';
export { backoffDelay, DEFAULT_RETRY_POLICY, sleep, type RetryPolicy } from './retry';
export { isTerminalStatus, normalizeStatus, type CallStatus, type NormalizedStatus } from './status';
export type {
	CallRequest,
	CallResult,
	ClientEvent,
	CreatedCall,
	Logger,
	PineCredentials,
	TranscriptTurn,
} from './types';
export {
	PineVoiceClient,
	type CreateCallOptions,
	type PineVoiceClientOptions,
	type WaitOptions,
} from './voice-client';
