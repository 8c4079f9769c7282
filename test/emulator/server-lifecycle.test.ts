import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { start } from './server';
import { captureStream, FAST, newUser, placeCall, voiceHeaders } from './test-helpers';
import { DEMO_USER } from './types';

it('binds 127.0.0.1 on a free port and serves the seeded demo user', async () => {
	const emulator = await start();
	try {
		expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
		const response = await fetch(`${emulator.url}/api/v2/voice/call/x`, { headers: voiceHeaders(DEMO_USER) });
		expect(response.status).toBe(404);
	} finally {
		await emulator.stop();
	}
});

it('stop() closes open streams and the listening socket', async () => {
	const emulator = await start(FAST);
	const user = newUser(emulator);
	const dialed_number = '+14155550123';
	emulator.controls.scriptNumber(dialed_number, { durationSeconds: 7200 });
	const callId = await placeCall(emulator, user, { dialed_number });
	const stream = captureStream(`${emulator.url}/api/v2/voice/call/${callId}/stream`, voiceHeaders(user));
	await new Promise((resolve) => setTimeout(resolve, 50));

	const before = Date.now();
	await emulator.stop();
	expect(Date.now() - before).toBeLessThan(500);
	expect((await stream).complete).toBe(false);
	await expect(fetch(`${emulator.url}/api/v2/voice/call/x`)).rejects.toThrow();
});

it('does not let the seeded DEMO_USER constant be changed by an emulator', async () => {
	const emulator = await start(FAST);
	try {
		emulator.controls.setCredits(DEMO_USER.userId, 7);
		expect(DEMO_USER.credits).toBe(1_000_000);
	} finally {
		await emulator.stop();
	}
});

it('runs from the command line, prints its URL and the demo user, and exits 0 on SIGTERM', async () => {
	const cli = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'cli.ts'), '--port', '0'], {
		cwd: join(__dirname, '..', '..'),
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let output = '';
	const url = await new Promise<string>((resolve, reject) => {
		cli.stdout.setEncoding('utf8');
		cli.stdout.on('data', (chunk: string) => {
			output += chunk;
			const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
			if (match && output.includes(DEMO_USER.token)) resolve(match[1]);
		});
		cli.on('exit', (code) => reject(new Error(`cli exited early with ${code}: ${output}`)));
	});
	expect(output).toContain(DEMO_USER.email);
	expect(output).toContain(DEMO_USER.userId);
	expect((await fetch(`${url}/api/v2/voice/call/x`, { headers: voiceHeaders(DEMO_USER) })).status).toBe(404);

	const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
	const stoppingAt = Date.now();
	cli.kill('SIGTERM');
	expect(await exited).toBe(0);
	// Well under the CLI's 2 s forced exit: nothing kept the process alive after stop().
	expect(Date.now() - stoppingAt).toBeLessThan(1500);
});
