import { InvalidArgumentError } from 'commander';

export function positiveInt(value: string): number {
	const n = Number(value);
	if (!Number.isInteger(n) || n <= 0) {
		throw new InvalidArgumentError('must be a positive whole number');
	}
	return n;
}
