/**
 * Read models over the alerts, for the portal (alert list, overview, an account's page) and
 * `tenure export alerts`. Every read resolves a refresh (requireRefresh) for the date and the
 * account attributes, filters and scope; alerts count as of that date by their open and resolve
 * dates, with their latest evidence.
 */
import type { Db } from '../../sql/client.ts';
import { loadQuery, queryRows } from '../../sql/query.ts';
import { AnalyticsError } from '../errors.ts';
import { checkPage, num, optionalOneOf, str, type Raw } from '../read.ts';
import { requireRefresh, type RefreshRef } from '../refresh/state.ts';
import { accountFilterParams, type AccountFilters, type AccountScope } from '../scope.ts';
import {
	ALERT_SEVERITIES,
	ALERT_SIGNALS,
	ALERT_STATUSES,
	type AlertSeverity,
	type AlertSignal,
	type AlertStatus
} from './signals.ts';

export interface AlertRow {
	/** Stable across refreshes: the portal's worklist refers to it. */
	readonly alertId: string;
	readonly accountId: string;
	readonly name: string;
	readonly ownerEmail: string;
	readonly team: string;
	readonly tier: string;
	readonly signal: AlertSignal;
	readonly severity: AlertSeverity;
	/** As of the date read. */
	readonly status: AlertStatus;
	readonly openedAsOf: string;
	readonly lastSeenAsOf: string;
	readonly resolvedAsOf: string | null;
	/** 'auto' when a refresh no longer saw the signal; '' while open. */
	readonly resolution: string;
	/** Evidence: the measured value, the account's own baseline and the threshold (README.md). */
	readonly value: number | null;
	readonly baseline: number | null;
	readonly threshold: number | null;
	readonly detail: Readonly<Record<string, string>>;
}

export interface AlertPage {
	readonly refresh: RefreshRef;
	readonly total: number;
	readonly rows: AlertRow[];
}

export interface AlertsOptions {
	/** YYYY-MM-DD; default the latest refresh. */
	readonly asOf?: string;
	/** Default 'open'; 'all' for open and resolved. */
	readonly status?: AlertStatus | 'all';
	readonly signal?: AlertSignal;
	readonly severity?: AlertSeverity;
	readonly accountId?: string;
	readonly filters?: AccountFilters;
	readonly scope?: AccountScope;
	/** Default 100, at most 100,000. */
	readonly limit?: number;
	readonly offset?: number;
}

function alertRow(r: Raw): AlertRow {
	return {
		alertId: String(r.alert_id),
		accountId: String(r.account_id),
		name: String(r.name),
		ownerEmail: String(r.owner_email),
		team: String(r.team),
		tier: String(r.tier),
		signal: String(r.signal) as AlertSignal,
		severity: String(r.severity) as AlertSeverity,
		status: String(r.status) as AlertStatus,
		openedAsOf: String(r.opened_as_of),
		lastSeenAsOf: String(r.last_seen_as_of),
		resolvedAsOf: str(r.resolved_as_of),
		resolution: String(r.resolution),
		value: num(r.value),
		baseline: num(r.baseline),
		threshold: num(r.threshold),
		detail: { ...((r.detail ?? {}) as Record<string, string>) }
	};
}

/** One page of alerts as of a date (default: open ones), with the account's name and owner. */
export async function alerts(db: Db, options: AlertsOptions = {}): Promise<AlertPage> {
	const status =
		options.status === 'all'
			? ''
			: optionalOneOf(options.status ?? 'open', ALERT_STATUSES, 'status');
	const signal = optionalOneOf(options.signal, ALERT_SIGNALS, 'signal');
	const severity = optionalOneOf(options.severity, ALERT_SEVERITIES, 'severity');
	const { limit, offset } = checkPage(options.limit, options.offset);
	const refresh = await requireRefresh(db, options.asOf);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('alerts-list'),
		{
			refresh_id: refresh.refreshId,
			as_of: refresh.asOf,
			...accountFilterParams(options.filters, options.scope),
			account_id: options.accountId ?? '',
			status,
			signal,
			severity,
			limit,
			offset
		},
		{ tag: 'alerts:list' }
	);
	return {
		refresh,
		total: rows.length ? Number(rows[0]!.total) : 0,
		rows: rows.map(alertRow)
	};
}

/**
 * Every alert of one account as of a date, open and resolved (open first): the account page.
 * Empty when the scope does not include the account.
 */
export async function accountAlerts(
	db: Db,
	options: { accountId: string; scope: AccountScope; asOf?: string }
): Promise<AlertRow[]> {
	if (!options.accountId) throw new AnalyticsError('Say which account: accountId is empty.');
	const page = await alerts(db, {
		asOf: options.asOf,
		accountId: options.accountId,
		scope: options.scope,
		status: 'all',
		limit: 100_000
	});
	return page.rows;
}

export interface AlertSummaryRow {
	readonly signal: AlertSignal;
	readonly severity: AlertSeverity;
	readonly openAlerts: number;
	readonly accounts: number;
}

export interface AlertSummary {
	readonly refresh: RefreshRef;
	/** Open alerts per signal and severity (only combinations with any). */
	readonly rows: AlertSummaryRow[];
	/** Accounts with at least one open alert of each severity (an account counts once). */
	readonly accountsBySeverity: Readonly<Record<AlertSeverity, number>>;
}

/** Open alerts as of a date per signal and severity; accountsBySeverity.critical feeds "At risk". */
export async function alertSummary(
	db: Db,
	options: { asOf?: string; filters?: AccountFilters; scope?: AccountScope } = {}
): Promise<AlertSummary> {
	const refresh = await requireRefresh(db, options.asOf);
	const rows = await queryRows<Raw>(
		db,
		loadQuery('alerts-summary'),
		{
			refresh_id: refresh.refreshId,
			as_of: refresh.asOf,
			...accountFilterParams(options.filters, options.scope)
		},
		{ tag: 'alerts:summary' }
	);
	const accountsBySeverity: Record<AlertSeverity, number> = { critical: 0, warning: 0 };
	const perSignal: AlertSummaryRow[] = [];
	for (const r of rows) {
		const severity = String(r.severity_key) as AlertSeverity;
		if (r.signal_key === '') {
			accountsBySeverity[severity] = Number(r.accounts);
			continue;
		}
		perSignal.push({
			signal: String(r.signal_key) as AlertSignal,
			severity,
			openAlerts: Number(r.open_alerts),
			accounts: Number(r.accounts)
		});
	}
	const order = (s: AlertSignal) => ALERT_SIGNALS.indexOf(s);
	perSignal.sort(
		(a, b) =>
			order(a.signal) - order(b.signal) ||
			ALERT_SEVERITIES.indexOf(a.severity) - ALERT_SEVERITIES.indexOf(b.severity)
	);
	return { refresh, rows: perSignal, accountsBySeverity };
}
