import { describe, expect, test } from 'vitest';
import {
	averageCurve,
	cohortMatrix,
	type CellCount
} from '../../analytics/retention/cohort-grid.ts';

/** Two monthly cohorts as of a day in 2026-03 (the partial month). */
const cells: CellCount[] = [
	// 2026-01: 4 accounts, 200 in January; 2 active in February (50); nobody in March yet.
	{ cohort: '2026-01-01', periodIndex: 0, accounts: 4, activeAccounts: 4, revenue: '200' },
	{ cohort: '2026-01-01', periodIndex: 1, accounts: 2, activeAccounts: 2, revenue: '50.5' },
	// 2026-02: 1 account without revenue (a subscription); active in March.
	{ cohort: '2026-02-01', periodIndex: 0, accounts: 1, activeAccounts: 1, revenue: '0' },
	{ cohort: '2026-02-01', periodIndex: 1, accounts: 1, activeAccounts: 1, revenue: '0' }
];

describe('cohortMatrix', () => {
	test('fills past cells with 0, leaves the future out, flags the as-of period', () => {
		const m = cohortMatrix(cells, 'month', '2026-03-01');
		expect(m.map((c) => [c.cohort, c.periodIndex, c.activeAccounts, c.partial])).toEqual([
			['2026-01-01', 0, 4, false],
			['2026-01-01', 1, 2, false],
			['2026-01-01', 2, 0, true], // absent from the SQL: nobody active, but in the past
			['2026-02-01', 0, 1, false],
			['2026-02-01', 1, 1, true]
		]);
		expect(m[1]).toMatchObject({
			period: '2026-02-01',
			cohortSize: 4,
			logoRetention: 2 / 4,
			revenue: '50.50',
			revenueRetention: 50.5 / 200
		});
		expect(m[2]).toMatchObject({ revenue: '0.00', revenueRetention: 0, logoRetention: 0 });
		// No period-0 revenue: revenue retention is undefined, not 0.
		expect(m[3]!.revenueRetention).toBeNull();
	});

	test('maxPeriods cuts the later indexes', () => {
		const m = cohortMatrix(cells, 'month', '2026-03-01', 0);
		expect(m.map((c) => c.periodIndex)).toEqual([0, 0]);
	});
});

describe('averageCurve', () => {
	test('weights by cohort size over complete cells; revenue over cohorts with period-0 revenue', () => {
		const curve = averageCurve(cohortMatrix(cells, 'month', '2026-03-01'));
		// Index 0: both cohorts, (4 + 1) / (4 + 1); revenue only the 2026-01 cohort's.
		expect(curve[0]).toMatchObject({
			cohorts: 2,
			accounts: 5,
			logoRetention: 1,
			revenue: '200.00',
			baseRevenue: '200.00',
			revenueRetention: 1
		});
		// Index 1: 2026-02's cell is partial and left out: 2 / 4.
		expect(curve[1]).toMatchObject({ cohorts: 1, accounts: 4, logoRetention: 0.5 });
		// Index 2 only has a partial cell: no point.
		expect(curve).toHaveLength(2);
		const withPartial = averageCurve(cohortMatrix(cells, 'month', '2026-03-01'), true);
		// (2 + 1) / (4 + 1) with the partial 2026-02 cell.
		expect(withPartial[1]).toMatchObject({ cohorts: 2, logoRetention: 3 / 5 });
		expect(withPartial[2]).toMatchObject({ cohorts: 1, logoRetention: 0 });
	});
});
