import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { PineAuthClient } from '../../shared/auth-client';
import { readText } from '../../shared/call-input';
import { InputError } from '../../shared/input-error';

export const DEFAULT_AUTH_URL = 'https://www.19pine.ai';

/** Request Code or Verify Code for one item; errors stay typed and are mapped by the node. */
export async function runAuthStep(context: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const text = (name: string, label: string) => {
		const value = readText(context.getNodeParameter(name, itemIndex, ''), name, label);
		if (!value) throw new InputError(name, `${label} is empty`);
		return value;
	};
	const operation = context.getNodeParameter('operation', itemIndex) as string;
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const client = new PineAuthClient({ authUrl: String(options.authUrl || DEFAULT_AUTH_URL) });
	const email = text('email', 'Email');
	if (operation === 'requestCode') {
		const { requestToken } = await client.requestCode(email);
		return { email, request_token: requestToken };
	}
	const verified = await client.verifyCode(email, text('requestToken', 'Request Token'), text('code', 'Code'));
	return { email: verified.email ?? email, user_id: verified.userId, access_token: verified.accessToken };
}
