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
				'How many items are worked on at once (1-5). Pine allows 5 calls in progress per account: when placing calls, items beyond wait for a free slot.',
		},
		{
			displayName: 'Dedupe Key',
			name: 'dedupeKey',
			type: 'string',
			default: '',
			placeholder: '={{ $json.row_id }}',
			description:
				'Never call the same row twice: an ID that names this call across runs, such as the sheet\'s row ID or the number plus the date. When a call with this key was already placed inside the dedupe window (by an earlier or crashed run), nothing is placed and that call is returned, marked deduplicated.',
			displayOptions: { show: { '/operation': ['placeCall', 'placeAndWait'] } },
		},
		{
			displayName: 'Dedupe Window (Hours)',
			name: 'dedupeWindowHours',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 720 },
			default: 24,
			description: 'How long a dedupe key blocks a second call',
			displayOptions: { show: { '/operation': ['placeCall', 'placeAndWait'] } },
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
			displayName: 'Release Unconfirmed Key',
			name: 'releaseUnconfirmedKey',
			type: 'boolean',
			default: false,
			description:
				'Whether to place the call again when an earlier attempt with the same dedupe key was never confirmed (n8n stopped, or Pine\'s answer was lost). Turn on only after checking with Pine that no call was placed.',
			displayOptions: { show: { '/operation': ['placeCall', 'placeAndWait'] } },
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
