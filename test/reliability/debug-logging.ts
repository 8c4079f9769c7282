/**
 * Imported first by secrets.test.ts: n8n's logger reads its settings when it is first built, so
 * these must be in place before any n8n module runs. Debug level, JSON lines (metadata included),
 * to the console and to a file in the test's own user folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pine-secrets-user-'));
export const registryDir = path.join(userFolder, '.n8n', 'pine-voice');
export const logFile = path.join(userFolder, 'logs', 'n8n.log');

process.env.N8N_USER_FOLDER = userFolder;
delete process.env.PINE_VOICE_REGISTRY_DIR; // the default location, under the user folder
process.env.N8N_LOG_LEVEL = 'debug';
process.env.N8N_LOG_FORMAT = 'json';
process.env.N8N_LOG_OUTPUT = 'console,file';
process.env.N8N_LOG_FILE_LOCATION = logFile;
