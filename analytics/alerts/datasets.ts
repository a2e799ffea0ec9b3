import type { Dataset } from '../datasets.ts';
import { alerts } from './read.ts';
import { ALERT_STATUSES, type AlertStatus } from './signals.ts';

const PAGE = 100_000;

export const ALERT_DATASETS: readonly Dataset[] = [
	{
		name: 'alerts',
		description:
			'Early-warning alerts as of a refresh: account, signal, severity, status, open/last-seen/resolve dates and the evidence (value, the account’s baseline, threshold, detail).',
		columns: [
			'as_of',
			'alert_id',
			'account_id',
			'name',
			'owner_email',
			'signal',
			'severity',
			'status',
			'opened_as_of',
			'last_seen_as_of',
			'resolved_as_of',
			'resolution',
			'value',
			'baseline',
			'threshold',
			'detail'
		],
		options: {
			status: {
				description: 'only open or resolved alerts',
				values: ['all', ...ALERT_STATUSES],
				fallback: 'open'
			}
		},
		async *run(db, opts) {
			const status = (opts.options?.status ?? 'open') as AlertStatus | 'all';
			for (let offset = 0; ; offset += PAGE) {
				const page = await alerts(db, {
					asOf: opts.asOf,
					filters: opts.filters,
					scope: opts.scope,
					status,
					limit: PAGE,
					offset
				});
				yield page.rows.map((r) => ({
					as_of: page.refresh.asOf,
					alert_id: r.alertId,
					account_id: r.accountId,
					name: r.name,
					owner_email: r.ownerEmail,
					signal: r.signal,
					severity: r.severity,
					status: r.status,
					opened_as_of: r.openedAsOf,
					last_seen_as_of: r.lastSeenAsOf,
					resolved_as_of: r.resolvedAsOf,
					resolution: r.resolution,
					value: r.value,
					baseline: r.baseline,
					threshold: r.threshold,
					detail: JSON.stringify(r.detail)
				}));
				if (page.rows.length < PAGE) return;
			}
		}
	}
];
