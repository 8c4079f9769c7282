export type RegistryErrorCode = 'REGISTRY_BUSY' | 'REGISTRY_LOCK_LOST';

export class RegistryError extends Error {
	constructor(
		readonly code: RegistryErrorCode,
		message: string,
	) {
		super(message);
		this.name = 'RegistryError';
	}
}
