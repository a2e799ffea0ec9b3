/**
 * The analytics benchmark's "next day": the files an ERP export of one more day would hold, made
 * from the loaded data so they fit it, for timing the daily (incremental) refresh after a daily
 * load. Deterministic for a day:
 * - `orders.csv`: new paid orders dated {day} for accounts that ordered in the 90 days before,
 *   about one in every 50 accounts; existing orders of the 30 days before refunded; and existing
 *   orders moved to another account (a CRM merge), which the refresh must take out of the old
 *   account's facts;
 * - `order_lines.csv`: one to three lines of catalogue products per new order.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../sql/client.ts';
import { command } from '../sql/query.ts';

export interface NextDayOptions {
	/** YYYY-MM-DD: the new orders' local day. */
	readonly day: string;
	/** Share of recently active accounts that order on the day. */
	readonly orderingShare?: number;
	readonly refunds?: number;
	readonly moves?: number;
}

export async function writeNextDay(
	db: Db,
	dir: string,
	opts: NextDayOptions
): Promise<{ orders: string; lines: string }> {
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const orders = path.join(dir, 'orders.csv');
	const lines = path.join(dir, 'order_lines.csv');
	const params = {
		day: opts.day,
		share: Math.round(1 / (opts.orderingShare ?? 0.02)),
		refunds: opts.refunds ?? 2000,
		moves: opts.moves ?? 200,
		tz: db.timezone
	};
	const fresh = `
    SELECT
        concat('N', replaceAll({day:String}, '-', ''), '-', account_id) AS order_id,
        account_id,
        cityHash64(account_id, {day:String}) AS h
    FROM orders FINAL
    WHERE toDate(ordered_at, {tz:String}) > subtractDays(toDate({day:String}), 91)
      AND toDate(ordered_at, {tz:String}) < toDate({day:String})
    GROUP BY account_id
    HAVING h % {share:UInt32} = 0`;
	const products = `SELECT groupArray(sku) AS skus, groupArray(list_price) AS prices FROM products FINAL WHERE _deleted = 0`;
	await command(
		db,
		`INSERT INTO FUNCTION file({path:String}, 'CSVWithNames', 'order_id String, line_no UInt32, sku String, quantity Decimal(18, 4), unit_price Decimal(18, 4), net_amount Decimal(18, 2)')
WITH (${products}) AS catalogue
SELECT order_id, toUInt32(n) AS line_no, catalogue.1[1 + (cityHash64(order_id, n) % length(catalogue.1))] AS sku,
       toDecimal64(1 + cityHash64(order_id, n, 'q') % 5, 4) AS quantity,
       toDecimal64(catalogue.2[1 + (cityHash64(order_id, n) % length(catalogue.1))], 4) AS unit_price,
       toDecimal64(quantity * unit_price, 2) AS net_amount
FROM (${fresh}) ARRAY JOIN range(1, toUInt32(2 + h % 3)) AS n
ORDER BY order_id, line_no`,
		{ ...params, path: lines },
		{ tag: 'bench:next-day' }
	);
	await command(
		db,
		`INSERT INTO FUNCTION file({path:String}, 'CSVWithNames', 'order_id String, account_id String, ordered_at String, status String, currency String, net_amount Decimal(18, 2), channel String')
SELECT * FROM
(
    SELECT l.order_id, f.account_id, concat({day:String}, ' 10:30:00'), 'paid', 'CNY', l.amount, 'online'
    FROM (SELECT order_id, sum(net_amount) AS amount FROM file({lines:String}, 'CSVWithNames') GROUP BY order_id) AS l
    INNER JOIN (${fresh}) AS f ON f.order_id = l.order_id
    UNION ALL
    SELECT order_id, account_id, formatDateTime(ordered_at, '%F %T', {tz:String}), 'refunded', currency, net_amount, channel
    FROM orders FINAL
    WHERE status = 'paid' AND toDate(ordered_at, {tz:String}) > subtractDays(toDate({day:String}), 31)
      AND toDate(ordered_at, {tz:String}) < toDate({day:String})
    ORDER BY cityHash64(order_id, {day:String}) LIMIT {refunds:UInt32}
    UNION ALL
    SELECT o.order_id, t.account_id, formatDateTime(o.ordered_at, '%F %T', {tz:String}), o.status, o.currency, o.net_amount, o.channel
    FROM
    (
        SELECT *, row_number() OVER (ORDER BY cityHash64(order_id, {day:String}, 'move')) AS k
        FROM orders FINAL WHERE status = 'completed' AND toDate(ordered_at, {tz:String}) < subtractDays(toDate({day:String}), 400)
        ORDER BY cityHash64(order_id, {day:String}, 'move') LIMIT {moves:UInt32}
    ) AS o
    INNER JOIN
    (
        SELECT account_id, row_number() OVER (ORDER BY cityHash64(account_id, {day:String}, 'to')) AS k
        FROM accounts FINAL ORDER BY cityHash64(account_id, {day:String}, 'to') LIMIT {moves:UInt32}
    ) AS t ON t.k = o.k
)`,
		{ ...params, path: orders, lines },
		{ tag: 'bench:next-day' }
	);
	return { orders, lines };
}
