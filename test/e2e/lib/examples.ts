/**
 * The example workflows in examples/, and what an instance changes on import: the files folder
 * (the examples use n8n's Docker default), the Pine credential, and the Auth node's URL.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './install-package';

export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');

/** The files folder the examples are written for: `~/.n8n-files` in n8n's Docker image. */
export const EXAMPLE_FILES_DIR = '/home/node/.n8n-files';

export const PINE_CREDENTIAL_TYPE = 'pineVoiceApi';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	disabled?: boolean;
	[key: string]: unknown;
}

export interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export function exampleFiles(): string[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort();
}

export function loadExample(file: string): Workflow {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Workflow;
}

/** Node types of this package that take the Pine Voice credential. */
export function usesPineCredential(node: WorkflowNode): boolean {
	return /^n8n-nodes-pine-voice\.pineVoice(Tool|Trigger)?$/.test(node.type);
}

export interface InstanceSettings {
	/** Replaces EXAMPLE_FILES_DIR in every parameter. */
	filesDir: string;
	credential: { id: string; name: string };
	/** Base URL for the Pine Voice Auth node (the emulator serves the auth API too). */
	authUrl?: string;
	/** Sets the Request Code email. */
	email?: string;
}

/** A copy of `workflow` set up for one n8n instance. */
export function forInstance(workflow: Workflow, settings: InstanceSettings): Workflow {
	const text = JSON.stringify(workflow).split(EXAMPLE_FILES_DIR).join(settings.filesDir);
	const copy = JSON.parse(text) as Workflow;
	for (const node of copy.nodes) {
		if (usesPineCredential(node)) node.credentials = { [PINE_CREDENTIAL_TYPE]: { ...settings.credential } };
		if (node.type === 'n8n-nodes-pine-voice.pineVoiceAuth') {
			if (settings.authUrl) {
				node.parameters.options = { ...(node.parameters.options as object), authUrl: settings.authUrl };
			}
			if (settings.email && node.parameters.operation === 'requestCode') node.parameters.email = settings.email;
		}
	}
	return copy;
}

export function findNode(workflow: Workflow, name: string): WorkflowNode {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`no node "${name}" in ${workflow.name}`);
	return node;
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows of fields. */
export function parseCsvRows(csv: string): string[][] {
	const text = csv.replace(/^\uFEFF/, '');
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (quoted) {
			if (char === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (char === '"') {
				quoted = false;
			} else {
				field += char;
			}
		} else if (char === '"') {
			quoted = true;
		} else if (char === ',') {
			row.push(field);
			field = '';
		} else if (char === '\n' || char === '\r') {
			if (char === '\r' && text[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else {
			field += char;
		}
	}
	if (field !== '' || row.length) {
		row.push(field);
		rows.push(row);
	}
	return rows;
}

/** CSV with a header row, as objects. */
export function parseCsv(text: string): Array<Record<string, string>> {
	const [header, ...rows] = parseCsvRows(text);
	return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}
