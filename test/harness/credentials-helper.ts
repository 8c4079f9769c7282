import { ICredentialsHelper } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestOptions,
	INodeCredentialsDetails,
	INodeProperties,
} from 'n8n-workflow';

/** Credential data keyed by credential type name, e.g. `{ pineVoiceApi: { accessToken, userId, gatewayUrl } }`. */
export type CredentialsByType = Record<string, ICredentialDataDecryptedObject>;

const CREDENTIAL_EXPRESSION = /\{\{\s*\$credentials\.(\w+)\s*\}\}/g;

/**
 * The slice of n8n's CredentialsHelper that node executions use: hands out decrypted data by
 * type and applies a credential type's `authenticate` (generic or function), as n8n does.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentials: CredentialsByType,
		private readonly credentialTypes: Record<string, ICredentialType>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.credentialTypes[typeName]?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate) return requestOptions;
		const headers = { ...(requestOptions.headers ?? {}) };
		for (const [name, value] of Object.entries(authenticate.properties.headers ?? {})) {
			headers[name] = resolveCredentialExpression(String(value), credentials);
		}
		return { ...requestOptions, headers };
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by workflow tests');
	}

	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (!data) throw new Error(`No test credentials of type "${type}"`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes[type]?.properties ?? [];
	}
}

function resolveCredentialExpression(value: string, credentials: ICredentialDataDecryptedObject) {
	if (!value.startsWith('=')) return value;
	return value.slice(1).replace(CREDENTIAL_EXPRESSION, (_match, key: string) => String(credentials[key] ?? ''));
}
