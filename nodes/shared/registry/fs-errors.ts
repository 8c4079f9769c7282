export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
	return (
		typeof error === 'object' &&
		error !== null &&
		'code' in error &&
		typeof error.code === 'string' &&
		codes.includes(error.code)
	);
}

/** The operation's value, or undefined when it fails with one of `codes` (ENOENT, say); other failures pass through. */
export async function unlessFailsWith<T>(operation: Promise<T>, ...codes: string[]): Promise<T | undefined> {
	return await operation.catch((error: unknown) => {
		if (hasErrorCode(error, ...codes)) return undefined;
		throw error;
	});
}

/** Undefined when the operation succeeds, else its error code when it is one of `codes`; other failures pass through. */
export async function failureCode(operation: Promise<unknown>, ...codes: string[]): Promise<string | undefined> {
	return await operation.then(
		() => undefined,
		(error: unknown) => {
			if (hasErrorCode(error, ...codes)) return (error as { code: string }).code;
			throw error;
		},
	);
}
