/** Where the registry lives when the node does not say. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

import { defaultRegistryDir } from '../../nodes/shared/call-registry';

it('PINE_VOICE_REGISTRY_DIR wins over everything', () => {
	expect(defaultRegistryDir({ PINE_VOICE_REGISTRY_DIR: '/data/registry', N8N_USER_FOLDER: '/home/node' })).toBe(
		resolve('/data/registry'),
	);
});

it('without it, the registry lives in the n8n user folder', () => {
	expect(defaultRegistryDir({ N8N_USER_FOLDER: '/home/node' })).toBe(resolve('/home/node/.n8n/pine-voice'));
});

it('without either, it lives in ~/.n8n like n8n itself', () => {
	expect(defaultRegistryDir({})).toBe(join(homedir(), '.n8n', 'pine-voice'));
});

it('empty variables count as unset', () => {
	expect(defaultRegistryDir({ PINE_VOICE_REGISTRY_DIR: ' ', N8N_USER_FOLDER: '' })).toBe(
		join(homedir(), '.n8n', 'pine-voice'),
	);
});
