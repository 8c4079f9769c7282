/*
 * Side-effect module: import it first, before anything that loads n8n-core. n8n-core reads its
 * instance settings from N8N_USER_FOLDER when loaded, and Place Call's registry lives under
 * PINE_VOICE_REGISTRY_DIR: both go to a temp folder owned by this process, removed at exit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const benchTempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pine-voice-bench-'));

process.env.N8N_USER_FOLDER = path.join(benchTempDir, 'n8n');
process.env.PINE_VOICE_REGISTRY_DIR ||= path.join(benchTempDir, 'registry');
process.env.N8N_LOG_LEVEL = 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
fs.mkdirSync(process.env.N8N_USER_FOLDER, { recursive: true });

process.on('exit', () => fs.rmSync(benchTempDir, { recursive: true, force: true }));
