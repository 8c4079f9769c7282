import type { INodeProperties } from 'n8n-workflow';

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Get Call',
			value: 'getCall',
			action: 'Get a call',
			description: 'Get the status, transcript and summary of a call by its ID',
		},
		{
			name: 'Place & Wait',
			value: 'placeAndWait',
			action: 'Place a call and wait for the result',
			description:
				'Place a phone call and wait until it ends, then return the transcript and summary',
		},
		{
			name: 'Place Call',
			value: 'placeCall',
			action: 'Place a call',
			description:
				'Start a phone call and return its ID at once; the Pine Voice Trigger fires when it ends',
		},
	],
	default: 'placeAndWait',
};
