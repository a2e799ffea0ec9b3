/**
 * Exact sums of money given as decimal strings (ClickHouse Decimal(…, 2) as JSON strings):
 * amounts add up in whole cents as BigInt, never as floating point.
 */

/** Cents of a decimal string with at most two fraction digits ("-12.5" → -1250n). */
export function toCents(amount: string): bigint {
	const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
	if (!m) throw new Error(`Not an amount with at most two decimals: '${amount}'`);
	const cents = BigInt(m[2] ?? '0') * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
	return m[1] ? -cents : cents;
}

/** A decimal string with two fraction digits from cents (-1250n → "-12.50"). */
export function fromCents(cents: bigint): string {
	const sign = cents < 0n ? '-' : '';
	const abs = cents < 0n ? -cents : cents;
	return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** The amount normalised to two fraction digits ("12.5" → "12.50"). */
export function money(amount: string): string {
	return fromCents(toCents(amount));
}

/** numerator ÷ denominator of two amounts, or null when the denominator is 0. */
export function moneyRatio(numerator: string, denominator: string): number | null {
	const d = toCents(denominator);
	return d === 0n ? null : Number(toCents(numerator)) / Number(d);
}
