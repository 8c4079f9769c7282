import fs from 'node:fs';
import path from 'node:path';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { baseNodeTypes } from './base-node-types';
import { credentialTypes, nodeTypes } from './package-types';
import { runWorkflow, type WorkflowJson } from './run-workflow';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

export interface BatchExampleRun {
	/** One row per CSV row: what the workflow wrote to the results CSV. */
	rows: IDataObject[];
	resultsCsv: string;
	error?: string;
}

/**
 * Runs examples/batch-calls.json unchanged but for its file paths and credential, through
 * n8n-core's engine with n8n-nodes-base's own file nodes. `filesDir` must be the folder n8n may
 * access (N8N_RESTRICT_FILE_ACCESS_TO), set before n8n-core was loaded.
 */
export async function runBatchExample(options: {
	filesDir: string;
	credentials: ICredentialDataDecryptedObject;
	csvFile?: string;
}): Promise<BatchExampleRun> {
	const { filesDir } = options;
	fs.copyFileSync(options.csvFile ?? path.join(EXAMPLES, 'calls.csv'), path.join(filesDir, 'calls.csv'));
	const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'batch-calls.json'), 'utf8')) as WorkflowJson;
	for (const node of workflow.nodes) {
		if (node.parameters.fileSelector) node.parameters.fileSelector = path.join(filesDir, 'calls.csv');
		if (node.parameters.operation === 'write') node.parameters.fileName = path.join(filesDir, 'call-results.csv');
		if (node.type === 'n8n-nodes-pine-voice.pineVoice') {
			node.credentials = { pineVoiceApi: { id: 'example', name: 'Pine Voice account' } };
		}
	}
	const { run, output } = await runWorkflow(workflow, {
		nodeTypes: { ...baseNodeTypes(), ...nodeTypes },
		credentialTypes,
		credentials: { pineVoiceApi: options.credentials },
	});
	const resultsFile = path.join(filesDir, 'call-results.csv');
	return {
		rows: output('Pick result columns').map((item) => item.json),
		resultsCsv: fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '',
		error: run.data.resultData.error?.message && `${run.data.resultData.lastNodeExecuted ?? 'a node'}: ${run.data.resultData.error.message}`,
	};
}
