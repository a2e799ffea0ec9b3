import type { Locale } from './messages.ts';

/**
 * Number, date and duration formatting for one locale. The time zone is passed from the server
 * (TENURE_TZ) so server rendering and hydration print the same text, and every user sees times in
 * the business's zone rather than the browser's.
 */
export function formatter(locale: Locale, timeZone: string) {
	const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
	// Numeric and compact (2026/11/23 09:42 · 11/23/2026, 09:42): fits table cells in both languages.
	const dateTime = new Intl.DateTimeFormat(locale, {
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23',
		timeZone
	});
	const seconds = new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: 'second',
		unitDisplay: 'short',
		maximumFractionDigits: 1
	});
	const minutes = new Intl.NumberFormat(locale, {
		style: 'unit',
		unit: 'minute',
		unitDisplay: 'short',
		maximumFractionDigits: 1
	});
	const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
	const byteUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
	return {
		number: (n: number | null | undefined) => (n == null ? '–' : integer.format(n)),
		dateTime: (ms: number | null | undefined) =>
			ms == null || ms <= 0 ? '–' : dateTime.format(ms),
		duration: (ms: number | null | undefined) => {
			if (ms == null || ms < 0) return '–';
			return ms < 120_000 ? seconds.format(ms / 1000) : minutes.format(ms / 60_000);
		},
		percent: (ratio: number) => percent.format(ratio),
		bytes: (n: number) => {
			let i = 0;
			let v = n;
			while (v >= 1024 && i < byteUnits.length - 1) {
				v /= 1024;
				i++;
			}
			return new Intl.NumberFormat(locale, {
				style: 'unit',
				unit: byteUnits[i],
				// 'short' bytes read "84 byte" in English; spelled out they are "84 bytes" / "84字节".
				unitDisplay: i === 0 ? 'long' : 'short',
				maximumFractionDigits: i === 0 ? 0 : 1
			}).format(v);
		}
	};
}

export type Formatter = ReturnType<typeof formatter>;
