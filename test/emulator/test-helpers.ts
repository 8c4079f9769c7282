/** Small HTTP helpers shared by the emulator's own tests (plain fetch and node:http). */
import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { EmulatorUser, RunningEmulator } from './types';

export const FAST = { msPerMinute: 12, heartbeatMs: 20 } as const;

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Adds a fresh user with plenty of credits, so tests do not share balances or call slots. */
export function newUser(emulator: RunningEmulator, overrides: Partial<EmulatorUser> = {}): EmulatorUser {
	const id = randomUUID().slice(0, 8);
	const user: EmulatorUser = {
		email: `user-${id}@example.com`,
		userId: `user-${id}`,
		token: `token-${id}`,
		credits: 100_000,
		subscription: true,
		...overrides,
	};
	emulator.controls.addUser(user);
	return user;
}

export function streamUrl(emulator: RunningEmulator, callId: string): string {
	return `${emulator.url}/api/v2/voice/call/${encodeURIComponent(callId)}/stream`;
}

export function voiceHeaders(user: EmulatorUser): Record<string, string> {
	return {
		Authorization: `Bearer ${user.token}`,
		'X-Pine-User-Id': user.userId,
		'Content-Type': 'application/json',
	};
}

let numberSequence = 100;
/** A distinct US number per call, ending in `lastFour` (which selects the scenario). */
export function phoneEnding(lastFour: string): string {
	numberSequence++;
	return `+1415${numberSequence}${lastFour}`;
}

export function callBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		dialed_number: phoneEnding('0123'),
		callee_name: 'Dr. Smith Office',
		callee_context: 'Local dentist office, open Mon-Fri 9am-5pm',
		call_objective: 'Schedule a dental cleaning for next Tuesday afternoon',
		caller: 'communicator',
		...overrides,
	};
}

export function postCall(emulator: RunningEmulator, user: EmulatorUser, body: unknown): Promise<Response> {
	return fetch(`${emulator.url}/api/v2/voice/call`, {
		method: 'POST',
		headers: voiceHeaders(user),
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

/** Places a call that must succeed and returns its id. */
export async function placeCall(
	emulator: RunningEmulator,
	user: EmulatorUser,
	overrides: Record<string, unknown> = {},
): Promise<string> {
	const response = await postCall(emulator, user, callBody(overrides));
	if (response.status !== 200) throw new Error(`POST answered ${response.status}: ${await response.text()}`);
	return ((await response.json()) as { call_id: string }).call_id;
}

export function getCall(emulator: RunningEmulator, user: EmulatorUser, callId: string): Promise<Response> {
	return fetch(`${emulator.url}/api/v2/voice/call/${encodeURIComponent(callId)}`, { headers: voiceHeaders(user) });
}

export async function waitUntilEnded(emulator: RunningEmulator, callId: string, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!emulator.controls.calls().find((call) => call.callId === callId)?.terminal) {
		if (Date.now() > deadline) throw new Error(`call ${callId} did not end within ${timeoutMs} ms`);
		await sleep(5);
	}
}

export interface ErrorReply {
	status: number;
	code: string;
	message: string;
	contentType: string | null;
}

export async function errorOf(response: Response): Promise<ErrorReply> {
	const body = (await response.json()) as { error: { code: string; message: string } };
	return { status: response.status, ...body.error, contentType: response.headers.get('content-type') };
}

export interface StreamCapture {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	/** Real time (Date.now()) of each received chunk. */
	chunkTimes: number[];
	/** false: the connection closed before the response was complete. */
	complete: boolean;
	closedAt: number;
}

/** Reads a whole SSE response with node:http (one fresh connection), or until `abortAfterMs`. */
export function captureStream(
	url: string,
	headers: Record<string, string>,
	abortAfterMs?: number,
): Promise<StreamCapture> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(url, { headers: { Accept: 'text/event-stream', ...headers }, agent: false });
		req.on('error', reject);
		req.on('response', (res) => {
			const capture: StreamCapture = {
				status: res.statusCode ?? 0,
				headers: res.headers,
				text: '',
				chunkTimes: [],
				complete: false,
				closedAt: 0,
			};
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				capture.text += chunk;
				capture.chunkTimes.push(Date.now());
			});
			res.on('error', () => undefined);
			res.on('close', () => {
				capture.complete = res.complete;
				capture.closedAt = Date.now();
				resolve(capture);
			});
			if (abortAfterMs !== undefined) setTimeout(() => req.destroy(), abortAfterMs);
		});
		req.end();
	});
}

export interface SseEvent {
	id?: string;
	event?: string;
	data?: string;
	comments: string[];
}

export function parseSse(text: string): SseEvent[] {
	return text
		.split('\n\n')
		.filter((block) => block !== '')
		.map((block) => {
			const event: SseEvent = { comments: [] };
			for (const line of block.split('\n')) {
				if (line.startsWith(':')) event.comments.push(line.slice(1).trim());
				else if (line.startsWith('id: ')) event.id = line.slice(4);
				else if (line.startsWith('event: ')) event.event = line.slice(7);
				else if (line.startsWith('data: ')) event.data = line.slice(6);
			}
			return event;
		});
}
