import type { INodeProperties } from 'n8n-workflow';

const placeOperations = { show: { operation: ['placeCall', 'placeAndWait'] } };

export const callFields: INodeProperties[] = [
	{
		displayName:
			'Each call costs 50 credits plus 20 credits per minute, and reaches a real person. Pine places at most 5 calls at once per account.',
		name: 'costNotice',
		type: 'notice',
		default: '',
		displayOptions: placeOperations,
	},
	{
		displayName: 'Phone Number',
		name: 'dialedNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+14155550100',
		description:
			'Number to call, in international format (+1 415 555 0100). A national format such as (415) 555-0100 works when Options > Default Country is set. Supported: US, Canada, Puerto Rico, UK, Australia, New Zealand, Singapore, Ireland, Hong Kong.',
		displayOptions: placeOperations,
	},
	{
		displayName: 'Callee Name',
		name: 'calleeName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Dr. Smith Office',
		description: 'Name of the person or business being called',
		displayOptions: placeOperations,
	},
	{
		displayName: 'Callee Context',
		name: 'calleeContext',
		type: 'string',
		required: true,
		typeOptions: { rows: 3 },
		default: '',
		placeholder: 'Local dentist office, open Mon-Fri 9am-5pm. I am an existing patient, Jane Doe.',
		description:
			'What the agent should know about who it calls and about you: opening hours, account numbers, your name, current plan and price',
		displayOptions: placeOperations,
	},
	{
		displayName: 'Call Objective',
		name: 'callObjective',
		type: 'string',
		required: true,
		typeOptions: { rows: 2 },
		default: '',
		placeholder: 'Schedule a dental cleaning for next Tuesday afternoon',
		description:
			'The goal of the call in one clear, specific sentence. Vague objectives ("call them") are refused by Pine.',
		displayOptions: placeOperations,
	},
	{
		displayName: 'Caller',
		name: 'caller',
		type: 'options',
		options: [
			{
				name: 'Communicator',
				value: 'communicator',
				description:
					'For scheduling, reservations, confirmations and information requests. The right choice for most workflows.',
			},
			{
				name: 'Negotiator',
				value: 'negotiator',
				description:
					'For bill reductions, disputes and retention calls where the agent must defend a target. Needs a strategy in Detailed Instructions.',
			},
		],
		default: 'communicator',
		description: 'Which Pine agent makes the call',
		displayOptions: placeOperations,
	},
	{
		displayName:
			'A negotiator cannot ask you anything during the call: put the target outcome, acceptable range, leverage and limits in Detailed Instructions.',
		name: 'negotiatorNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['placeCall', 'placeAndWait'], caller: ['negotiator'] } },
	},
	{
		displayName: 'Detailed Instructions',
		name: 'detailedInstructions',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: 'If Tuesday is full, any weekday afternoon next week works.',
		description:
			'Strategy, constraints and fallbacks. Required for a negotiator: target, acceptable range, leverage points.',
		displayOptions: placeOperations,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: placeOperations,
		options: [
			{
				displayName: 'Enable Summary',
				name: 'enableSummary',
				type: 'boolean',
				default: false,
				description: 'Whether Pine writes a short summary of the call once it ends',
			},
			{
				displayName: 'Max Duration (Minutes)',
				name: 'maxDurationMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 120 },
				default: 10,
				description:
					'The call is hung up after this many minutes (1-120). Pine charges 20 credits per minute; without this field Pine allows 120 minutes.',
			},
			{
				displayName: 'Voice',
				name: 'voice',
				type: 'options',
				options: [
					{ name: 'Female', value: 'female' },
					{ name: 'Male', value: 'male' },
				],
				default: 'female',
				description: 'Voice of the agent',
			},
		],
	},
];

export const getCallFields: INodeProperties[] = [
	{
		displayName: 'Call ID',
		name: 'callId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
		description: 'The call_id returned by Place Call',
		displayOptions: { show: { operation: ['getCall'] } },
	},
];
