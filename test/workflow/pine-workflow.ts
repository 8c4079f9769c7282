import type { INodeParameters } from 'n8n-workflow';

import type { WorkflowJson } from '../harness/run-workflow';

export const PINE_NODE = 'Pine Voice';

/** Rows (a test start node, like a spreadsheet read) connected to one Pine Voice node. */
export function pineWorkflow(
	rows: object[],
	parameters: INodeParameters,
	settings: { continueOnFail?: boolean } = {},
): WorkflowJson {
	return {
		nodes: [
			{
				id: 'rows',
				name: 'Rows',
				type: 'test.testItems',
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(rows) },
			},
			{
				id: 'pine',
				name: PINE_NODE,
				type: 'n8n-nodes-pine-voice.pineVoice',
				typeVersion: 1,
				position: [220, 0],
				parameters,
				credentials: { pineVoiceApi: { id: 'cred-1', name: 'Pine Voice account' } },
				...(settings.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		connections: { Rows: { main: [[{ node: PINE_NODE, type: 'main', index: 0 }]] } },
	};
}

/** Call fields mapped from the previous node's columns, the way users map spreadsheet columns. */
export const callFieldsFromColumns: INodeParameters = {
	dialedNumber: '={{ $json.phone }}',
	calleeName: '={{ $json.name }}',
	calleeContext: '={{ $json.context }}',
	callObjective: '={{ $json.objective }}',
	caller: 'communicator',
};

export interface CallRow {
	phone: string;
	name: string;
	context: string;
	objective: string;
}

export function row(phone: string, index = 0): CallRow {
	return {
		phone,
		name: `Office ${index}`,
		context: `Dentist office number ${index}, open Mon-Fri 9am-5pm`,
		objective: 'Schedule a dental cleaning for next Tuesday afternoon',
	};
}

/** A workflow holding only a Pine Voice Trigger with these parameters. */
export function triggerWorkflow(id: string, parameters: INodeParameters): WorkflowJson {
	return {
		id,
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'Pine Voice Trigger',
				type: 'n8n-nodes-pine-voice.pineVoiceTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters,
				credentials: { pineVoiceApi: { id: 'cred-1', name: 'Pine' } },
			},
		],
		connections: {},
	};
}
