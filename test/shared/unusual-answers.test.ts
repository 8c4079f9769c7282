/**
 * Answers the emulator never gives but a real gateway or proxy might: event ids before a drop,
 * bodies that echo the token, odd SSE events, code-less errors. Served by a tiny real HTTP
 * server on loopback, one handler per test.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { PineAuthClient, PineVoiceClient } from '../../nodes/shared';
import { FAST_RETRY, LeakWitness, SENTINEL } from './helpers';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const TOKEN = `${SENTINEL}-echoed`;
const witness = new LeakWitness();
let server: Server;
let baseUrl: string;
let handler: Handler;
const seen: IncomingMessage['headers'][] = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		seen.push(req.headers);
		handler(req, res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
	seen.length = 0;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

function client() {
	return new PineVoiceClient({
		accessToken: TOKEN,
		userId: 'user-1',
		gatewayUrl: baseUrl,
		retry: FAST_RETRY,
		logger: witness.logger,
	});
}

const TERMINAL = JSON.stringify({ call_id: 'c1', status: 'Completed', transcript: [{ speaker: 'agent', text: 'Hi' }] });

it('a reconnect after a drop sends back the last event id the stream gave', async () => {
	let streams = 0;
	handler = (_req, res) => {
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		if (++streams === 1) {
			res.write('id: 41\nevent: status\ndata: {"status":"in_progress"}\n\n', () => res.destroy());
		} else {
			res.end(`id: 42\nevent: result\ndata: ${TERMINAL}\n\n`);
		}
	};

	const result = await client().waitForResult('c1', { silenceMs: 500 });

	expect(result.status).toBe('completed');
	expect(seen.map((headers) => headers['last-event-id'])).toEqual([undefined, '41']);
	expect(seen[0].accept).toBe('text/event-stream');
});

it('unknown events, a non-terminal result and multi-line data are handled by the SSE rules', async () => {
	handler = (_req, res) => {
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		res.write(': heartbeat\n\nevent: transcript\ndata: {"partial":true}\n\n');
		res.write('event: result\ndata: {"call_id":"c1","status":"in_progress"}\n\n');
		res.end(`event: result\ndata: {"call_id":"c1",\ndata: "status":"NoAnswer"}\n\n`);
	};

	const result = await client().waitForResult('c1', { silenceMs: 500 });

	expect(result).toMatchObject({ call_id: 'c1', status: 'failed', raw_status: 'NoAnswer' });
});

it('an error body that echoes the access token is redacted', async () => {
	handler = (req, res) => {
		res.writeHead(401, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: `Rejected ${req.headers.authorization}` } }));
	};

	const error = await witness.failure(client().getCall('c1'));

	expect(error).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401, message: 'Rejected Bearer [redacted]' });
});

it('a result that echoes the access token is redacted', async () => {
	handler = (_req, res) => {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ call_id: 'c1', status: 'Completed', summary: `Used ${TOKEN}`, transcript: [] }));
	};

	const result = witness.see(await client().getCall('c1'));

	expect(result.summary).toBe('Used [redacted]');
});

it('JSON without an error object and an empty 503 still give clear messages', async () => {
	handler = (_req, res) => {
		res.writeHead(400, { 'content-type': 'application/json' });
		res.end('{"ok":false}');
	};
	const request = {
		dialed_number: '+14155550123',
		callee_name: 'A',
		callee_context: 'B',
		call_objective: 'Call them today',
	};
	const refused = await witness.failure(client().createCall(request));
	expect(refused).toMatchObject({ code: 'INVALID_REQUEST', httpStatus: 400 });
	expect(refused.message).toBe('Pine answered HTTP 400 without an error code.');

	handler = (_req, res) => {
		res.writeHead(503);
		res.end();
	};
	const unavailable = await witness.failure(client().getCall('c1'));
	expect(unavailable).toMatchObject({ code: 'SERVER_ERROR', httpStatus: 503 });
	expect(unavailable.message).toBe('Pine answered HTTP 503 with an empty body.');
});

it('a code-less 422 on the request-code step means there is no Pine account for the email', async () => {
	handler = (_req, res) => {
		res.writeHead(422, { 'content-type': 'application/json' });
		res.end('{"detail":[{"loc":["body","email"],"msg":"unknown"}]}');
	};

	const error = await witness.failure(new PineAuthClient({ authUrl: baseUrl }).requestCode('who@example.com'));

	expect(error).toMatchObject({ code: 'USER_NOT_FOUND', httpStatus: 422 });
	expect(error.message).toContain('There is no Pine account for this email');
});

it('never reveals the access token in anything produced above', () => {
	expect(witness.count).toBeGreaterThan(5);
	for (const text of witness.texts()) expect(text).not.toContain(SENTINEL);
});
