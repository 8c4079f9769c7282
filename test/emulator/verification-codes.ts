import { randomBytes, randomInt } from 'node:crypto';

const CODE_LIFETIME_MS = 10 * 60 * 1000;

interface PendingCode {
	code: string;
	requestToken: string;
	issuedAt: number;
	expired: boolean;
}

export type VerifyOutcome = 'ok' | 'invalid' | 'expired';

function key(email: string): string {
	return email.trim().toLowerCase();
}

/** One-time email codes: the pending code per email, plus the "inbox" of the last code sent. */
export class VerificationCodes {
	private readonly pending = new Map<string, PendingCode>();
	private readonly inbox = new Map<string, string>();

	/** Replaces any earlier code for that email. Returns the request_token. */
	issue(email: string): string {
		const pending: PendingCode = {
			code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
			requestToken: randomBytes(24).toString('base64url'),
			issuedAt: Date.now(),
			expired: false,
		};
		this.pending.set(key(email), pending);
		this.inbox.set(key(email), pending.code);
		return pending.requestToken;
	}

	lastSent(email: string): string | undefined {
		return this.inbox.get(key(email));
	}

	expireAll(): void {
		for (const pending of this.pending.values()) pending.expired = true;
	}

	/** A code is consumed by its first successful use. */
	verify(email: string, requestToken: string, code: string): VerifyOutcome {
		const pending = this.pending.get(key(email));
		if (!pending || pending.requestToken !== requestToken || pending.code !== code) return 'invalid';
		if (pending.expired || Date.now() - pending.issuedAt > CODE_LIFETIME_MS) return 'expired';
		this.pending.delete(key(email));
		return 'ok';
	}
}
