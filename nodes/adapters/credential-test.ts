import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { PineVoiceError } from '../shared/errors';
import { clientFromCredential } from './voice-client';

/** A call id that cannot exist: a valid token gets 404 NOT_FOUND for it, a bad one 401/403. */
const PROBE_CALL_ID = 'n8n-credential-test';

/** Tells a valid token from an invalid or expired one, or an account without a subscription. */
export async function testPineVoiceCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const client = clientFromCredential(credential.data ?? {}, { retry: { attempts: 1 } });
		await client.getCall(PROBE_CALL_ID);
		return { status: 'OK', message: 'Connection successful' };
	} catch (error) {
		if (error instanceof PineVoiceError && error.code === 'NOT_FOUND') {
			return { status: 'OK', message: 'Connection successful' };
		}
		return { status: 'Error', message: credentialProblem(error) };
	}
}

function credentialProblem(error: unknown): string {
	if (!(error instanceof PineVoiceError)) return error instanceof Error ? error.message : String(error);
	switch (error.code) {
		case 'TOKEN_EXPIRED':
			return 'The access token has expired: run the Pine Voice Auth node again and paste the new access token here';
		case 'AUTH_REQUIRED':
		case 'UNAUTHORIZED':
			return 'Pine does not accept this access token and user ID: check both, or get new ones with the Pine Voice Auth node';
		case 'SUBSCRIPTION_REQUIRED':
			return 'The token is valid, but this Pine account has no active subscription: subscribe to Pine Pro to place calls';
		default:
			return [error.message, error.hint].filter(Boolean).join(' ');
	}
}
