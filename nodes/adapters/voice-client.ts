import type { ICredentialDataDecryptedObject, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';

import { PineVoiceClient, type PineVoiceClientOptions } from '../shared/voice-client';

/** A Pine client from pineVoiceApi credential data (the node's, or the one being tested). */
export function clientFromCredential(
	data: ICredentialDataDecryptedObject,
	options: Omit<PineVoiceClientOptions, 'accessToken' | 'userId' | 'gatewayUrl'> = {},
): PineVoiceClient {
	return new PineVoiceClient({
		accessToken: String(data.accessToken ?? ''),
		userId: String(data.userId ?? ''),
		gatewayUrl: String(data.gatewayUrl ?? ''),
		...options,
	});
}

/** A Pine client built from the node's pineVoiceApi credential, logging through n8n's logger. */
export async function voiceClientFor(context: IExecuteFunctions | IPollFunctions): Promise<PineVoiceClient> {
	return clientFromCredential(await context.getCredentials('pineVoiceApi'), {
		logger: {
			debug: (message, meta) => context.logger.debug(message, meta),
			warn: (message, meta) => context.logger.warn(message, meta),
		},
	});
}
