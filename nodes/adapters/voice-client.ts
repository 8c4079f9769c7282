import type { IExecuteFunctions, IPollFunctions } from 'n8n-workflow';

import { PineVoiceClient } from '../shared/voice-client';

/** A Pine client built from the node's pineVoiceApi credential, logging through n8n's logger. */
export async function voiceClientFor(context: IExecuteFunctions | IPollFunctions): Promise<PineVoiceClient> {
	const credentials = await context.getCredentials('pineVoiceApi');
	return new PineVoiceClient({
		accessToken: String(credentials.accessToken ?? ''),
		userId: String(credentials.userId ?? ''),
		gatewayUrl: String(credentials.gatewayUrl ?? ''),
		logger: {
			debug: (message, meta) => context.logger.debug(message, meta),
			warn: (message, meta) => context.logger.warn(message, meta),
		},
	});
}
