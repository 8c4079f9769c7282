/** Status mapping and Retry-After reading: pure functions, no server needed. */
import { backoffDelay, isTerminalStatus, normalizeStatus, parseRetryAfter, toCallResult } from '../../nodes/shared';

it.each([
	['Completed', 'completed'],
	['HungupByPeer', 'completed'],
	['HungupByLocal', 'completed'],
	['Timeout', 'completed'],
	['TooLongSilence', 'completed'],
	['Failed', 'failed'],
	['InternalError', 'failed'],
	['DialFailed', 'failed'],
	['NoAnswer', 'failed'],
	['Declined', 'failed'],
	['Cancelled', 'cancelled'],
	['initiated', 'in_progress'],
])('raw status %s is shown as %s, with the raw value kept', (raw, status) => {
	expect(normalizeStatus(raw)).toEqual({ status, rawStatus: raw });
});

it('a status that is already normalized carries no raw_status', () => {
	expect(normalizeStatus('completed')).toEqual({ status: 'completed' });
	expect(normalizeStatus('in_progress')).toEqual({ status: 'in_progress' });
});

it('an unknown status passes through and is not terminal', () => {
	expect(normalizeStatus('Voicemail')).toEqual({ status: 'Voicemail' });
	expect(isTerminalStatus('Voicemail')).toBe(false);
	expect(isTerminalStatus('in_progress')).toBe(false);
	expect(['completed', 'failed', 'cancelled'].every(isTerminalStatus)).toBe(true);
});

it('a result with missing or mistyped fields becomes a usable output, not a crash', () => {
	const odd = { status: 7, transcript: 'oops', duration_seconds: '42', credits_charged: null };
	expect(toCallResult(odd, 'call-1')).toEqual({
		call_id: 'call-1',
		status: 'unknown',
		duration_seconds: 42,
		transcript: [],
		transcript_text: '',
	});
	expect(toCallResult(null, 'call-2')).toMatchObject({ call_id: 'call-2', transcript: [] });
	const turns = [{ speaker: 'system', text: 'Long silence' }, 'junk', { text: 'hi' }];
	expect(toCallResult({ transcript: turns }, 'c').transcript_text).toBe('system: Long silence\nunknown: hi');
});

it('Retry-After is read as seconds (fractions too) or as an HTTP date', () => {
	expect(parseRetryAfter('2')).toBe(2);
	expect(parseRetryAfter('0.05')).toBe(0.05);
	const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
	expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30);
	expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
	expect(parseRetryAfter('soon')).toBeUndefined();
	expect(parseRetryAfter(undefined)).toBeUndefined();
});

it('backoff uses full jitter between 0 and the capped exponential step', () => {
	const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
	expect(backoffDelay(0, policy, () => 0.999)).toBe(100);
	expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
	expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
	expect(backoffDelay(2, policy, () => 0)).toBe(0);
});
