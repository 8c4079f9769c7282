import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { testPineVoiceCredential } from '../adapters/credential-test';
import { toNodeError } from '../adapters/node-error';
import { getCall } from './actions/getCall.operation';
import { placeAndWait } from './actions/placeAndWait.operation';
import { placeCall } from './actions/placeCall.operation';
import { failureJson } from './actions/run-per-item';
import { callFields, getCallFields } from './descriptions/callFields.description';
import { operationProperty } from './descriptions/operation.description';
import { optionsProperty } from './descriptions/options.description';

const operations = { placeCall, getCall, placeAndWait };

export class PineVoice implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pine Voice',
		name: 'pineVoice',
		icon: { light: 'file:pineVoice.svg', dark: 'file:pineVoice.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ {"placeCall": "Place Call", "getCall": "Get Call", "placeAndWait": "Place & Wait"}[$parameter["operation"]] }}',
		description:
			"Have Pine's AI agent phone a person or business for you (book, confirm, ask, negotiate) and get the transcript and summary",
		defaults: { name: 'Pine Voice' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pineVoiceApi', required: true, testedBy: 'testPineVoiceCredential' }],
		properties: [operationProperty, ...callFields, ...getCallFields, optionsProperty],
	};

	methods = { credentialTest: { testPineVoiceCredential } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as keyof typeof operations;
		const run = operations[operation];
		if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known`);
		try {
			return [await run.call(this)];
		} catch (error) {
			// Item failures are already mapped; this catches what fails for every item at once
			// (the credential, a refused gateway URL): each item still gets its output item.
			if (!this.continueOnFail()) throw toNodeError(this.getNode(), error);
			const node = this.getNode();
			return [this.getInputData().map((_, item) => ({ json: failureJson(node, error, item), pairedItem: { item } }))];
		}
	}
}
