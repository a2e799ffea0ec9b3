import { InvalidArgumentError } from 'commander';

export function positiveInt(value: string): number {
	const n = Number(value);
	if (!Number.isInteger(n) || n <= 0) {
		throw new InvalidArgumentError('must be a positive whole number');
	}
	return n;
}

/** A calendar date written YYYY-MM-DD. */
export function isoDate(value: string): string {
	const d = new Date(`${value}T00:00:00Z`);
	if (
		!/^\d{4}-\d{2}-\d{2}$/.test(value) ||
		Number.isNaN(d.getTime()) ||
		d.toISOString().slice(0, 10) !== value
	) {
		throw new InvalidArgumentError('must be a date YYYY-MM-DD');
	}
	return value;
}

export function positiveNumber(value: string): number {
	const n = Number(value);
	if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
		throw new InvalidArgumentError('must be a number above 0');
	}
	return n;
}
