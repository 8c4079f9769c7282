import type { IDataObject } from 'n8n-workflow';

const COLUMNS: Array<[header: string, field: string, width: number]> = [
	['Number', 'phone', 16],
	['Callee', 'name', 24],
	['Status', 'status', 10],
	['Raw status', 'raw_status', 13],
	['Duration', 'duration_seconds', 8],
	['Credits', 'credits_charged', 7],
	['Summary', 'summary', 60],
];

function cell(value: unknown, width: number): string {
	const text = String(value ?? '').replace(/\s+/g, ' ');
	return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** Prints one row per call, with the error in place of the summary for a failed item. */
export function printTable(rows: IDataObject[]): void {
	const line = (values: string[]) => console.log(`| ${values.join(' | ')} |`);
	line(COLUMNS.map(([header, , width]) => cell(header, width)));
	line(COLUMNS.map(([, , width]) => '-'.repeat(width)));
	for (const row of rows) {
		line(COLUMNS.map(([, field, width]) => cell(field === 'summary' && row.error ? `ERROR: ${String(row.error)}` : row[field], width)));
	}
}
