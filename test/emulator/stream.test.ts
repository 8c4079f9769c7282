import { start } from './server';
import {
	captureStream,
	FAST,
	getCall,
	newUser,
	parseSse,
	phoneEnding,
	placeCall,
	streamUrl,
	sleep,
	voiceHeaders,
	waitUntilEnded,
} from './test-helpers';
import type { EmulatorUser, RunningEmulator } from './types';

let emulator: RunningEmulator;
let user: EmulatorUser;
beforeAll(async () => {
	emulator = await start(FAST);
	user = newUser(emulator);
});
afterAll(() => emulator.stop());

/** A call lasting `seconds` simulated seconds (at FAST speed, 500 s = 100 ms). */
function placeCallLasting(seconds: number): Promise<string> {
	const dialed_number = phoneEnding('0123');
	emulator.controls.scriptNumber(dialed_number, { durationSeconds: seconds });
	return placeCall(emulator, user, { dialed_number, enable_summary: true });
}

it('sends : connected, heartbeats, then one result event (id 1) equal to the GET body, and ends', async () => {
	const callId = await placeCallLasting(500);
	const capture = await captureStream(streamUrl(emulator, callId), voiceHeaders(user));

	expect(capture.status).toBe(200);
	expect(capture.headers['content-type']).toBe('text/event-stream');
	expect(capture.headers['cache-control']).toBe('no-cache');
	expect(capture.text.startsWith(': connected\n\n')).toBe(true);
	const events = parseSse(capture.text);
	const heartbeats = events.filter((event) => event.comments[0] === 'heartbeat');
	// About 100 ms of call at one heartbeat per 20 ms.
	expect(heartbeats.length).toBeGreaterThanOrEqual(2);
	expect(heartbeats.length).toBeLessThanOrEqual(8);
	const result = events[events.length - 1];
	expect(result).toMatchObject({ id: '1', event: 'result' });
	expect(result.data).toBe(await (await getCall(emulator, user, callId)).text());
	expect(capture.complete).toBe(true);
});

it('sends the result at once for a call that has already ended', async () => {
	const callId = await placeCallLasting(60);
	await waitUntilEnded(emulator, callId);
	const capture = await captureStream(streamUrl(emulator, callId), voiceHeaders(user));
	const events = parseSse(capture.text);
	expect(events.map((event) => event.event ?? event.comments[0])).toEqual(['connected', 'result']);
	expect(JSON.parse(events[1].data ?? '')).toMatchObject({ call_id: callId, status: 'Completed' });
});

it('numbers result events per call, counting up across reconnects', async () => {
	const callId = await placeCallLasting(60);
	const other = await placeCallLasting(60);
	const ids = [];
	for (const id of [callId, callId, other]) {
		const events = parseSse((await captureStream(streamUrl(emulator, id), voiceHeaders(user))).text);
		ids.push(events.find((event) => event.event === 'result')?.id);
	}
	expect(ids).toEqual(['1', '2', '1']);
});

it('records the Last-Event-Id request header', async () => {
	const callId = await placeCallLasting(60);
	await captureStream(streamUrl(emulator, callId), { ...voiceHeaders(user), 'Last-Event-Id': '7' });
	const record = emulator.controls.stats().requests.find((r) => r.path.endsWith(`${callId}/stream`));
	expect(record).toMatchObject({ method: 'GET', lastEventId: '7', status: 200 });
});

it('answers an unauthenticated stream with a JSON 401', async () => {
	const callId = await placeCallLasting(60);
	const response = await fetch(streamUrl(emulator, callId), { headers: { 'X-Pine-User-Id': user.userId } });
	expect(response.status).toBe(401);
	expect(await response.json()).toEqual({ error: { code: 'AUTH_REQUIRED', message: expect.any(String) } });
});

it('answers a stream for an unknown call with a JSON 404', async () => {
	const response = await fetch(streamUrl(emulator, 'no-such-call'), { headers: voiceHeaders(user) });
	expect(response.status).toBe(404);
	expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
});

it('lets go of a stream the client closed', async () => {
	const callId = await placeCallLasting(5000);
	const capture = await captureStream(streamUrl(emulator, callId), voiceHeaders(user), 50);
	expect(capture.complete).toBe(false);
	const deadline = Date.now() + 1000;
	while (emulator.controls.openStreams?.() !== 0 && Date.now() < deadline) await sleep(5);
	expect(emulator.controls.openStreams?.()).toBe(0);
	expect((await getCall(emulator, user, callId)).status).toBe(200);
});
