/** What each measure hands back, and the Markdown it becomes. */

export interface SummaryRow {
	measure: string;
	figure: string;
	/** Empty when the measure has no target. */
	target: string;
	/** undefined: no target. */
	met?: boolean;
	/** When a target is missed: why, from what the measure saw. */
	why?: string;
}

export interface Section {
	title: string;
	/** How it was measured, one bullet each. */
	method: string[];
	headers: string[];
	rows: string[][];
	notes: string[];
	summary: SummaryRow[];
}

export function table(headers: string[], rows: string[][]): string {
	const line = (cells: string[]) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
	return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function metText(met: boolean | undefined): string {
	if (met === undefined) return '';
	return met ? 'met' : '**missed**';
}
