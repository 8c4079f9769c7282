/** A call placed by the Place Call operation, as the Pine Voice Trigger needs to watch it. */
export interface RegisteredCall {
	callId: string;
	pineUserId: string;
	workflowId: string;
	nodeName: string;
	/** ISO 8601. */
	placedAt: string;
	calleeName: string;
	dialedNumber: string;
}

/** Which calls a consumer (one trigger node) watches. */
export interface ConsumerScope {
	pineUserId: string;
	/** Undefined: every workflow of that Pine user. */
	workflowId?: string;
}

export type ClaimResult =
	| { state: 'claimed' }
	| { state: 'placed'; callId: string; placedAt: string }
	| { state: 'unconfirmed'; startedAt: string };

export function inScope(call: RegisteredCall, scope: ConsumerScope): boolean {
	return call.pineUserId === scope.pineUserId && (scope.workflowId === undefined || call.workflowId === scope.workflowId);
}

export function sameScope(a: ConsumerScope, b: ConsumerScope): boolean {
	return a.pineUserId === b.pineUserId && a.workflowId === b.workflowId;
}
