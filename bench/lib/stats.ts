/** Small statistics helpers. Percentiles use the nearest-rank method on a sorted copy. */

export function median(values: number[]): number {
	return percentile(values, 50);
}

export function p95(values: number[]): number {
	return percentile(values, 95);
}

export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	if (p === 50 && sorted.length % 2 === 0) {
		const mid = sorted.length / 2;
		return (sorted[mid - 1] + sorted[mid]) / 2;
	}
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function sum(values: number[]): number {
	return values.reduce((total, value) => total + value, 0);
}
