import type { IPollFunctions } from 'n8n-workflow';

import { mapWithConcurrency } from '../../shared/batch';
import { PineVoiceError } from '../../shared/errors';
import { isTerminalStatus } from '../../shared/status';
import type { CallResult } from '../../shared/types';
import type { PineVoiceClient } from '../../shared/voice-client';

/** GETs in flight at once during one poll: well under what a gateway tolerates from one user. */
const POLL_CONCURRENCY = 5;

export interface EndedCall {
	/** The id as it was asked for (and recorded): Pine's answer may spell it differently. */
	id: string;
	call: CallResult;
}

export interface CheckedCalls {
	/** Calls that have ended, in the order asked. */
	ended: EndedCall[];
	/** Ids Pine does not know (404): they will never end. */
	unknown: string[];
}

/**
 * Asks Pine for each call, a bounded number at once. A 404 is reported in `unknown`; any other
 * failure (expired token, gateway down) is thrown so n8n shows it as a trigger error.
 */
export async function checkCalls(
	context: IPollFunctions,
	client: PineVoiceClient,
	callIds: string[],
): Promise<CheckedCalls> {
	const answers = await mapWithConcurrency(callIds.length, POLL_CONCURRENCY, async (index) => {
		try {
			return { result: await client.getCall(callIds[index]), error: undefined };
		} catch (error) {
			return { result: undefined, error };
		}
	});
	const checked: CheckedCalls = { ended: [], unknown: [] };
	for (const [index, answer] of answers.entries()) {
		if (answer.result) {
			if (isTerminalStatus(answer.result.status)) checked.ended.push({ id: callIds[index], call: answer.result });
		} else if (answer.error instanceof PineVoiceError && answer.error.code === 'NOT_FOUND') {
			context.logger.warn(`Pine Voice Trigger: Pine does not know call ${callIds[index]}; it is no longer watched`);
			checked.unknown.push(callIds[index]);
		} else {
			throw answer.error;
		}
	}
	return checked;
}
