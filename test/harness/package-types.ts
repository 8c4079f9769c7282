import type { ICredentialType, INodeType } from 'n8n-workflow';

import { PineVoiceApi } from '../../credentials/PineVoiceApi.credentials';
import { PineVoice } from '../../nodes/PineVoice/PineVoice.node';
import { PineVoiceAuth } from '../../nodes/PineVoiceAuth/PineVoiceAuth.node';
import { PineVoiceTrigger } from '../../nodes/PineVoiceTrigger/PineVoiceTrigger.node';
import { CredentialProbe } from './nodes/CredentialProbe.node';
import { TestItems } from './nodes/TestItems.node';

/** The package's node and credential types, under the names n8n gives them, plus test-only nodes. */
export const nodeTypes: Record<string, INodeType> = {
	'n8n-nodes-pine-voice.pineVoice': new PineVoice(),
	'n8n-nodes-pine-voice.pineVoiceAuth': new PineVoiceAuth(),
	'n8n-nodes-pine-voice.pineVoiceTrigger': new PineVoiceTrigger(),
	'test.testItems': new TestItems(),
	'test.credentialProbe': new CredentialProbe(),
};

export const credentialTypes: Record<string, ICredentialType> = {
	pineVoiceApi: new PineVoiceApi(),
};
