import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestRecord } from './types';

/** One request being answered, with the record that stats() reports for it. */
export interface Exchange {
	req: IncomingMessage;
	res: ServerResponse;
	method: string;
	path: string;
	record: RequestRecord;
}

/** A refusal in Pine's error shape. */
export interface ApiError {
	status: number;
	code: string;
	message: string;
	headers?: Record<string, string>;
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; reason: string };

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole body, keeping at most 1 MiB (the rest is drained and dropped). */
export function readBody(req: IncomingMessage): Promise<ParsedBody> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_BODY_BYTES) chunks.push(chunk);
		});
		req.on('error', () => resolve({ ok: false, reason: 'the request body could not be read' }));
		req.on('end', () => {
			if (size > MAX_BODY_BYTES) {
				resolve({ ok: false, reason: `the request body exceeds ${MAX_BODY_BYTES} bytes` });
				return;
			}
			resolve(parseJson(Buffer.concat(chunks).toString('utf8')));
		});
	});
}

function parseJson(text: string): ParsedBody {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false, reason: 'the request body is not valid JSON' };
	}
}

function canAnswer(ex: Exchange): boolean {
	return !ex.res.headersSent && !ex.res.destroyed;
}

export function sendText(
	ex: Exchange,
	status: number,
	contentType: string,
	text: string,
	headers: Record<string, string> = {},
): void {
	if (!canAnswer(ex)) return;
	ex.record.status = status;
	ex.res.writeHead(status, {
		...headers,
		'Content-Type': contentType,
		'Content-Length': String(Buffer.byteLength(text)),
	});
	ex.res.end(text);
}

/** `json` is already serialized, so a cached body is served byte for byte. */
export function sendJsonText(ex: Exchange, status: number, json: string): void {
	sendText(ex, status, 'application/json', json);
}

export function sendJson(ex: Exchange, status: number, value: unknown): void {
	sendJsonText(ex, status, JSON.stringify(value));
}

export function sendError(ex: Exchange, error: ApiError): void {
	const body = JSON.stringify({ error: { code: error.code, message: error.message } });
	sendText(ex, error.status, 'application/json', body, error.headers);
}

export function notFound(message: string): ApiError {
	return { status: 404, code: 'NOT_FOUND', message };
}
