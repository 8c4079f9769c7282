import type { ValidCallRequest } from './call-validation';
import type { CallPlan } from './scenarios';

export interface TranscriptTurn {
	speaker: 'agent' | 'user';
	text: string;
}

/** Keeps a scripted transcriptBytes from exhausting memory. */
const MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024;

function lowerFirst(text: string): string {
	return text.charAt(0).toLowerCase() + text.slice(1);
}

function dialogue(call: ValidCallRequest, round: number): TranscriptTurn[] {
	const again = round === 0 ? '' : ` (follow-up ${round})`;
	return [
		{
			speaker: 'agent',
			text: `Hello, this is Pine, an AI assistant calling on behalf of a customer. Am I speaking with ${call.calleeName}?${again}`,
		},
		{ speaker: 'user', text: `Yes, this is ${call.calleeName}. How can I help you today?` },
		{ speaker: 'agent', text: `I'm calling to ${lowerFirst(call.callObjective)}.` },
		{ speaker: 'user', text: 'Sure, I can help with that. Let me take care of it for you now.' },
	];
}

/** A plausible 4-turn dialogue; with a scripted size, rounds of it are repeated until about that many bytes. */
export function buildTranscript(call: ValidCallRequest, plan: CallPlan): TranscriptTurn[] {
	if (!plan.connected) return [];
	const wantedBytes = Math.min(plan.transcriptBytes ?? 0, MAX_TRANSCRIPT_BYTES);
	const turns = dialogue(call, 0);
	let bytes = Buffer.byteLength(JSON.stringify(turns));
	for (let round = 1; bytes < wantedBytes; round++) {
		for (const turn of dialogue(call, round)) {
			turns.push(turn);
			bytes += Buffer.byteLength(JSON.stringify(turn)) + 1;
		}
	}
	return turns;
}

export function buildSummary(call: ValidCallRequest, plan: CallPlan): string {
	if (!plan.connected) {
		return `Pine could not reach ${call.calleeName}; the call ended with status ${plan.rawStatus}.`;
	}
	return (
		`Pine called ${call.calleeName} to ${lowerFirst(call.callObjective)}. ` +
		`The call ended with status ${plan.rawStatus} after ${plan.reportedSeconds} seconds.`
	);
}
