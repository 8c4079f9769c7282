/**
 * A tiny loopback HTTP server that answers whatever a property generated: for fuzzing the node
 * against Pine answers the emulator never gives (malformed JSON, odd fields, unknown statuses and
 * events, resets, huge bodies). Not the emulator: it follows no contract, it only plays a script.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Replaced in any body or SSE chunk by the bearer token of the request: a server that echoes secrets. */
export const TOKEN_PLACEHOLDER = '<<TOKEN>>';
/** Replaced by the call id of the request's path (decoded), so answers can name the call asked for. */
export const CALL_ID_PLACEHOLDER = '<<CALL_ID>>';

export type Answer =
	/** A plain answer. */
	| { kind: 'http'; status: number; headers?: Record<string, string>; body: string }
	/** The socket is destroyed once the request was read, without an answer. */
	| { kind: 'reset' }
	/** A 200 event stream: the chunks are written one by one, then the stream ends or is destroyed. */
	| { kind: 'sse'; chunks: string[]; end: 'end' | 'reset' };

export type Route = 'post' | 'get' | 'stream';

export interface ReceivedRequest {
	route: Route | 'other';
	method: string;
	path: string;
	/** What the script answered (undefined: the default answer). */
	answer?: Answer;
}

export interface ScriptedServer {
	url: string;
	/** Sets the answers of the next requests per route; once a queue is empty the default answer is used. */
	script(answers: Partial<Record<Route, Answer[]>>): void;
	received(): ReceivedRequest[];
	reset(): void;
	stop(): Promise<void>;
}

export const DEFAULT_CALL_ID = 'call-scripted-0001';

export const completedBody = (callId = CALL_ID_PLACEHOLDER) =>
	JSON.stringify({ call_id: callId, status: 'completed', duration_seconds: 60, transcript: [{ speaker: 'agent', text: 'Hello' }], credits_charged: 70 });

const DEFAULTS: Record<Route, Answer> = {
	post: { kind: 'http', status: 200, body: JSON.stringify({ call_id: DEFAULT_CALL_ID, status: 'in_progress' }) },
	get: { kind: 'http', status: 200, body: completedBody() },
	stream: { kind: 'sse', chunks: [': connected\n\n', `id: 1\nevent: result\ndata: ${completedBody()}\n\n`], end: 'end' },
};

function routeOf(method: string, path: string): Route | 'other' {
	if (method === 'POST' && path === '/api/v2/voice/call') return 'post';
	if (method === 'GET' && /^\/api\/v2\/voice\/call\/[^/]+\/stream$/.test(path)) return 'stream';
	if (method === 'GET' && /^\/api\/v2\/voice\/call\/[^/]+$/.test(path)) return 'get';
	return 'other';
}

export async function startScriptedServer(): Promise<ScriptedServer> {
	let queues: Record<Route, Answer[]> = { post: [], get: [], stream: [] };
	let received: ReceivedRequest[] = [];
	const sockets = new Set<Socket>();

	const server = createServer((req, res) => {
		const method = req.method ?? 'GET';
		const path = (req.url ?? '/').split('?')[0];
		const route = routeOf(method, path);
		const record: ReceivedRequest = { route, method, path };
		received.push(record);
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			if (route === 'other') {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such route' } }));
				return;
			}
			const answer = queues[route].shift();
			record.answer = answer;
			play(answer ?? DEFAULTS[route], req, res);
		});
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('clientError', (_error, socket) => socket.destroy());
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		script(answers) {
			queues = { post: [...(answers.post ?? [])], get: [...(answers.get ?? [])], stream: [...(answers.stream ?? [])] };
		},
		received: () => [...received],
		reset() {
			queues = { post: [], get: [], stream: [] };
			received = [];
		},
		async stop() {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			for (const socket of sockets) socket.destroy();
			await closed;
		},
	};
}

function bearer(req: IncomingMessage): string {
	const header = req.headers.authorization ?? '';
	return header.replace(/^Bearer\s+/i, '');
}

function requestedCallId(req: IncomingMessage): string {
	const encoded = /^\/api\/v2\/voice\/call\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '';
	try {
		return decodeURIComponent(encoded);
	} catch {
		return encoded;
	}
}

function play(answer: Answer, req: IncomingMessage, res: ServerResponse): void {
	const callId = JSON.stringify(requestedCallId(req)).slice(1, -1);
	const echo = (text: string) => text.split(TOKEN_PLACEHOLDER).join(bearer(req)).split(CALL_ID_PLACEHOLDER).join(callId);
	switch (answer.kind) {
		case 'reset':
			req.socket.destroy();
			return;
		case 'http': {
			const headers: Record<string, string> = { 'content-type': 'application/json', ...answer.headers };
			for (const [name, value] of Object.entries(headers)) headers[name] = echo(value).replace(/[^\t\x20-\x7e]/g, '?');
			res.writeHead(answer.status, headers);
			res.end(echo(answer.body));
			return;
		}
		case 'sse': {
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			const chunks = answer.chunks.map(echo);
			const next = (index: number) => {
				if (res.destroyed) return;
				if (index >= chunks.length) {
					if (answer.end === 'end') res.end();
					else res.destroy();
					return;
				}
				res.write(chunks[index], () => setImmediate(() => next(index + 1)));
			};
			next(0);
			return;
		}
	}
}
