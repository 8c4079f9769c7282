import { randomBytes } from 'node:crypto';
import type { EmulatorUser } from './types';

function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

/** Accounts, their access tokens (seeded and minted) and their credits. */
export class UserDirectory {
	private readonly byId = new Map<string, EmulatorUser>();
	/** token → user id; minted tokens stay valid alongside older ones. */
	private readonly tokenOwners = new Map<string, string>();
	private readonly expiredTokens = new Set<string>();

	add(user: EmulatorUser): void {
		const copy = { ...user };
		this.byId.set(copy.userId, copy);
		this.tokenOwners.set(copy.token, copy.userId);
	}

	get(userId: string): EmulatorUser | undefined {
		return this.byId.get(userId);
	}

	findByEmail(email: string): EmulatorUser | undefined {
		const wanted = normalizeEmail(email);
		for (const user of this.byId.values()) {
			if (normalizeEmail(user.email) === wanted) return user;
		}
		return undefined;
	}

	ownerOf(token: string): string | undefined {
		return this.tokenOwners.get(token);
	}

	isExpired(token: string): boolean {
		return this.expiredTokens.has(token);
	}

	mintToken(userId: string): string {
		const token = `pine-emu-${randomBytes(24).toString('base64url')}`;
		this.tokenOwners.set(token, userId);
		return token;
	}

	expireToken(token: string): void {
		this.expiredTokens.add(token);
	}

	setCredits(userId: string, credits: number): void {
		this.require(userId).credits = credits;
	}

	charge(userId: string, credits: number): void {
		const user = this.byId.get(userId);
		if (user) user.credits -= credits;
	}

	private require(userId: string): EmulatorUser {
		const user = this.byId.get(userId);
		if (!user) throw new Error(`Pine emulator: unknown user id ${userId}`);
		return user;
	}
}
