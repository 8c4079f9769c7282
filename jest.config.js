const os = require('os');
const path = require('path');
const fs = require('fs');

// n8n-core reads its instance settings from the user folder: keep tests out of ~/.n8n.
const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'pine-voice-jest-'));
process.env.N8N_USER_FOLDER = userFolder;
process.env.PINE_VOICE_REGISTRY_DIR = path.join(userFolder, 'registry');
// The folder n8n's file nodes may use (example workflows read and write CSV files there).
process.env.N8N_RESTRICT_FILE_ACCESS_TO = path.join(userFolder, 'n8n-files');
fs.mkdirSync(process.env.N8N_RESTRICT_FILE_ACCESS_TO);
// n8n's logger prints every failed test execution; tests assert on errors instead.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
	testTimeout: 30000,
};
