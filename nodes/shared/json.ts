/** Parses JSON without throwing: a body that is not JSON gives undefined. */
export function tryParseJson(text: string): unknown {
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(record: Record<string, unknown>, key: string): string | undefined {
	const value = record[key];
	return typeof value === 'string' ? value : undefined;
}

/** A finite number, also when Pine sends it as a numeric string. */
export function numberField(record: Record<string, unknown>, key: string): number | undefined {
	const value = record[key];
	const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

/** False for text with lone UTF-16 surrogates: it cannot be encoded into a URL or sent as UTF-8. */
export function isWellFormedText(text: string): boolean {
	return !/\p{Surrogate}/u.test(text);
}
