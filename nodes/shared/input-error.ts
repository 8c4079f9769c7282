import { PineVoiceError } from './errors';

/** Bad input found before any request is sent; names the field so the user can fix it. */
export class InputError extends PineVoiceError {
	constructor(
		readonly field: string,
		message: string,
		hint?: string,
	) {
		super('INVALID_INPUT', message, { hint });
	}
}
