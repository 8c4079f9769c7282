import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { PineVoiceError } from '../shared/errors';
import { InputError } from '../shared/input-error';

/** Prefix that names the item, 1-based as n8n's item table counts them. */
export function itemLabel(itemIndex: number): string {
	return `Item ${itemIndex + 1}`;
}

/**
 * The one place where the package's typed errors become n8n errors: bad input becomes a
 * NodeOperationError naming the item and the field; an answer from Pine becomes a NodeApiError
 * carrying Pine's code, the HTTP status and a hint.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const prefix = itemIndex === undefined ? '' : `${itemLabel(itemIndex)}: `;
	if (error instanceof InputError) {
		return new NodeOperationError(node, `${prefix}${error.message}`, { itemIndex, description: error.hint });
	}
	if (error instanceof PineVoiceError) {
		const description = [error.hint, `Pine code: ${error.code}`].filter(Boolean).join(' — ');
		if (error.httpStatus !== undefined) {
			const response: JsonObject = { code: error.code, message: error.message, httpStatus: error.httpStatus };
			return new NodeApiError(node, response, {
				message: `${prefix}${error.message}`,
				description,
				httpCode: String(error.httpStatus),
				itemIndex,
			});
		}
		return new NodeOperationError(node, `${prefix}${error.message}`, { itemIndex, description });
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, `${prefix}${message}`, { itemIndex });
}

/** Pine's code of a failure, for Continue On Fail items. */
export function errorCode(error: unknown): string | undefined {
	return error instanceof PineVoiceError ? error.code : undefined;
}
