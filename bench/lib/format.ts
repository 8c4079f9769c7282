/** Number formatting for the results page. */

export function ms(value: number, digits = 0): string {
	return `${value.toFixed(digits)} ms`;
}

export function ratio(value: number): string {
	return `${value.toFixed(2)}x`;
}

export function mib(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function kib(bytes: number): string {
	return `${(bytes / 1024).toFixed(1)} KiB`;
}
