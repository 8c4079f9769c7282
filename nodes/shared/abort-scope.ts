import { errorFromAbort, type PineVoiceError } from './errors';
import { sleep } from './retry';

export interface AbortScope {
	signal: AbortSignal;
	/** Ends the scope: aborts whatever still listens to it and frees the parent listener and timer. */
	dispose(): void;
}

const SCOPE_ENDED = 'scope ended';

/**
 * An abort signal that follows `parent` and, when `timeout` is given, aborts itself after
 * `timeout.ms` with `timeout.error()` as its reason, so every wait below it ends the same way.
 */
export function abortScope(
	parent: AbortSignal | undefined,
	timeout?: { ms: number; error: () => PineVoiceError },
): AbortScope {
	const controller = new AbortController();
	const onParentAbort = () => controller.abort(errorFromAbort(parent as AbortSignal));
	if (parent?.aborted) onParentAbort();
	else parent?.addEventListener('abort', onParentAbort, { once: true });

	if (timeout && !controller.signal.aborted) {
		sleep(timeout.ms, controller.signal).then(
			() => controller.abort(timeout.error()),
			() => undefined, // the scope ended first
		);
	}

	return {
		signal: controller.signal,
		dispose() {
			parent?.removeEventListener('abort', onParentAbort);
			if (!controller.signal.aborted) controller.abort(SCOPE_ENDED);
		},
	};
}
