/** The registry survives restarts: whatever a registry wrote, a new one over the same folder sees. */
import { readFile } from 'node:fs/promises';

import { CallRegistry } from '../../nodes/shared/call-registry';
import { aCall, HOUR_MS } from './fixtures';
import { ids, logPath, useTempDir } from './helpers';

const tempDir = useTempDir();
const scope = { pineUserId: 'user-1' };

it('a registry opened again over the same folder sees every call and what each trigger was handed', async () => {
	const before = new CallRegistry({ dir: tempDir() });
	await before.pending('trigger-a', scope);
	const [first, second, third] = [aCall(), aCall(), aCall()];
	for (const call of [first, second, third]) await before.register(call);
	await before.markDelivered('trigger-a', [first.callId]);

	const after = new CallRegistry({ dir: tempDir() });

	expect(await after.pending('trigger-a', scope)).toEqual([second, third]);
	expect(ids(await after.recent(scope, 10))).toEqual([third.callId, second.callId, first.callId]);
});

it('a registered call is in the file on disk by the time register() resolves', async () => {
	const registry = new CallRegistry({ dir: tempDir() });
	const call = aCall();

	await registry.register(call);

	expect(await readFile(logPath(tempDir()), 'utf8')).toContain(call.callId);
});

it('a dedupe key claimed before a restart is still claimed after it', async () => {
	await new CallRegistry({ dir: tempDir() }).claimKey('sheet-row-7', HOUR_MS);

	const result = await new CallRegistry({ dir: tempDir() }).claimKey('sheet-row-7', HOUR_MS);

	expect(result).toEqual({ state: 'unconfirmed', startedAt: expect.any(String) });
});

it('a registry works in a folder that does not exist yet, creating it', async () => {
	const registry = new CallRegistry({ dir: `${tempDir()}/nested/pine-voice` });
	const call = aCall();

	await registry.register(call);

	expect(await new CallRegistry({ dir: `${tempDir()}/nested/pine-voice` }).recent(scope, 1)).toEqual([call]);
});
