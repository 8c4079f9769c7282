import type { INodeProperties } from 'n8n-workflow';

import { SUPPORTED_REGIONS } from '../../shared/phone';

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 5 },
			default: 5,
			description:
				'How many items are worked on at once (1-5). Pine allows 5 calls in progress per account; items beyond wait for a free slot.',
		},
		{
			displayName: 'Default Country',
			name: 'defaultCountry',
			type: 'options',
			options: Object.entries(SUPPORTED_REGIONS)
				.map(([value, name]) => ({ name, value }))
				.sort((a, b) => a.name.localeCompare(b.name)),
			default: 'US',
			description:
				'Country used to read numbers written without a country code, such as (415) 555-0100',
			displayOptions: { show: { '/operation': ['placeCall', 'placeAndWait'] } },
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 300 },
			default: 10,
			description:
				'If the live result stream fails, how often to ask Pine for the result instead',
			displayOptions: { show: { '/operation': ['placeAndWait'] } },
		},
		{
			displayName: 'Register for Trigger',
			name: 'registerForTrigger',
			type: 'boolean',
			default: true,
			description:
				'Whether to record the call so a Pine Voice Trigger on this n8n instance fires when it ends',
			displayOptions: { show: { '/operation': ['placeCall'] } },
		},
		{
			displayName: 'Wait Timeout (Minutes)',
			name: 'waitTimeoutMinutes',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 180 },
			default: 0,
			description:
				'How long to wait for a call to end before giving up (the call goes on; use Get Call later). 0 means the max duration of the call plus 5 minutes.',
			displayOptions: { show: { '/operation': ['placeAndWait'] } },
		},
	],
};
