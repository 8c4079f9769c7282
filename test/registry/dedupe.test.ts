/** Place Call's dedupe keys: a spreadsheet row is never placed twice by accident. */
import { CallRegistry } from '../../nodes/shared/call-registry';
import { HOUR_MS, ManualClock } from './fixtures';
import { useTempDir } from './helpers';

const tempDir = useTempDir();
let clock: ManualClock;
let registry: CallRegistry;

beforeEach(() => {
	clock = new ManualClock();
	registry = new CallRegistry({ dir: tempDir(), now: clock.now });
});

it('the first claim of a row is told to place the call', async () => {
	expect(await registry.claimKey('sheet-row-1', HOUR_MS)).toEqual({ state: 'claimed' });
});

it('a second claim before the call was confirmed is told it is unconfirmed, and since when', async () => {
	await registry.claimKey('sheet-row-1', HOUR_MS);
	const startedAt = clock.iso();
	clock.advance(5 * 60_000);

	expect(await registry.claimKey('sheet-row-1', HOUR_MS)).toEqual({ state: 'unconfirmed', startedAt });
});

it('once confirmed, claims inside the window are told the call was placed, with its id', async () => {
	await registry.claimKey('sheet-row-1', HOUR_MS);
	clock.advance(2000);
	await registry.confirmKey('sheet-row-1', 'call-123');
	const placedAt = clock.iso();
	clock.advance(HOUR_MS - 1);

	expect(await registry.claimKey('sheet-row-1', HOUR_MS)).toEqual({ state: 'placed', callId: 'call-123', placedAt });
});

it('a placed row can be claimed again once its window has passed', async () => {
	await registry.claimKey('sheet-row-1', HOUR_MS);
	await registry.confirmKey('sheet-row-1', 'call-123');
	clock.advance(HOUR_MS);

	expect(await registry.claimKey('sheet-row-1', HOUR_MS)).toEqual({ state: 'claimed' });
});

it('an unconfirmed row can be claimed again once its window has passed', async () => {
	await registry.claimKey('sheet-row-1', HOUR_MS);
	clock.advance(HOUR_MS);

	expect(await registry.claimKey('sheet-row-1', HOUR_MS)).toEqual({ state: 'claimed' });
});

it('releasing a row (after checking with Pine) lets it be claimed again, and says whether there was anything to release', async () => {
	await registry.claimKey('sheet-row-1', HOUR_MS);

	expect(await registry.releaseKey('sheet-row-1')).toBe(true);
	expect(await registry.releaseKey('sheet-row-1')).toBe(false);
	expect(await registry.claimKey('sheet-row-1', HOUR_MS)).toEqual({ state: 'claimed' });
});

it('different rows do not affect each other', async () => {
	await registry.claimKey('sheet-row-1', HOUR_MS);

	expect(await registry.claimKey('sheet-row-2', HOUR_MS)).toEqual({ state: 'claimed' });
});
