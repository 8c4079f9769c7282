import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { REQUEST_CODE_PATH, requestCode, VERIFY_CODE_PATH, verifyCode } from './auth-routes';
import { CREATE_CALL_PATH, routeVoice, VOICE_PREFIX } from './call-routes';
import { bearerToken, headerValue } from './gateway-auth';
import { type Exchange, notFound, type ParsedBody, readBody, sendError, sendText } from './http-io';
import { EmulatorState } from './state';
import type { EmulatorOptions, RequestRecord, RunningEmulator } from './types';

const HOST = '127.0.0.1';
const BAD_GATEWAY_HTML = '<html><body><h1>502 Bad Gateway</h1></body></html>';
const NO_BODY: ParsedBody = { ok: false, reason: 'the request has no body' };

/** Starts a Pine emulator (auth API and voice gateway on one base URL) on 127.0.0.1. */
export async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
	const state = new EmulatorState(options);
	const sockets = new Set<Socket>();
	const server = createServer((req, res) => void handle(req, res, state));
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('clientError', (_error, socket) => socket.destroy());
	await listen(server, options.port ?? 0);

	const { port } = server.address() as AddressInfo;
	let stopped: Promise<void> | undefined;
	return {
		url: `http://${HOST}:${port}`,
		port,
		controls: state.controls(),
		stop: () => {
			stopped ??= shutdown(server, sockets, state);
			return stopped;
		},
	};
}

function listen(server: Server, port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, HOST, () => {
			server.off('error', reject);
			resolve();
		});
	});
}

/** Clears every timer and destroys every socket (open streams included), so the process can exit. */
async function shutdown(server: Server, sockets: Set<Socket>, state: EmulatorState): Promise<void> {
	state.timers.cancelAll();
	const closed = new Promise<void>((resolve) => server.close(() => resolve()));
	for (const socket of sockets) socket.destroy();
	await closed;
}

function recordOf(req: IncomingMessage, method: string, path: string): RequestRecord {
	const record: RequestRecord = { method, path, at: Date.now(), authorized: bearerToken(req) !== undefined };
	const userId = headerValue(req, 'x-pine-user-id');
	const lastEventId = headerValue(req, 'last-event-id');
	const userAgent = headerValue(req, 'user-agent');
	if (userId !== undefined) record.userId = userId;
	if (lastEventId !== undefined) record.lastEventId = lastEventId;
	if (userAgent !== undefined) record.userAgent = userAgent;
	return record;
}

async function handle(req: IncomingMessage, res: ServerResponse, state: EmulatorState): Promise<void> {
	const method = req.method ?? 'GET';
	const path = (req.url ?? '/').split('?')[0];
	const ex: Exchange = { req, res, method, path, record: recordOf(req, method, path) };
	state.stats.request(ex.record);
	if (method === 'POST' && path === CREATE_CALL_PATH) state.stats.postReceived();
	// Decided before any await, so faults are consumed in arrival order.
	const faults = state.faults.forRequest(method, path);
	try {
		const body = method === 'POST' ? await readBody(req) : NO_BODY;
		if (method === 'POST' && body.ok) ex.record.body = body.value;
		if (faults.delayMs > 0) await state.timers.delay(faults.delayMs);
		if (faults.reply === 'error500') {
			return sendError(ex, { status: 500, code: 'INTERNAL_ERROR', message: 'Injected fault: internal server error' });
		}
		if (faults.reply === 'nonJson502') return sendText(ex, 502, 'text/html', BAD_GATEWAY_HTML);
		route(ex, body, state);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		sendError(ex, { status: 500, code: 'INTERNAL_ERROR', message: `Emulator error: ${message}` });
	}
}

function route(ex: Exchange, body: ParsedBody, state: EmulatorState): void {
	if (ex.path.startsWith(VOICE_PREFIX)) return routeVoice(ex, body, state);
	if (ex.method === 'POST' && ex.path === REQUEST_CODE_PATH) return requestCode(ex, body, state);
	if (ex.method === 'POST' && ex.path === VERIFY_CODE_PATH) return verifyCode(ex, body, state);
	sendError(ex, notFound(`No route for ${ex.method} ${ex.path}`));
}
