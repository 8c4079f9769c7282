/** The registry holds call ids and who was called, never credentials. */
import { CallRegistry, type RegisteredCall } from '../../nodes/shared/call-registry';
import { aCall, HOUR_MS } from './fixtures';
import { everythingOnDisk, useTempDir } from './helpers';

const tempDir = useTempDir();
const SECRET = 'SENTINEL-TOKEN-registry-7c1e';

it('never writes an access token, even one passed along on the call object', async () => {
	const registry = new CallRegistry({ dir: tempDir() });
	const call = { ...aCall(), accessToken: SECRET, headers: { Authorization: `Bearer ${SECRET}` } } as RegisteredCall;

	await registry.register(call);
	await registry.pending('trigger', { pineUserId: call.pineUserId });
	await registry.claimKey('sheet-row-1', HOUR_MS);

	expect(await everythingOnDisk(tempDir())).not.toContain(SECRET);
	expect(await registry.recent({ pineUserId: call.pineUserId }, 1)).toEqual([
		expect.not.objectContaining({ accessToken: expect.anything() }),
	]);
});
