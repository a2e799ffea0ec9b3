import type { Db } from '../sql/client.ts';
import { queryRows } from '../sql/query.ts';
import { IngestError } from './errors.ts';
import { ingestMessage } from './messages.ts';

/**
 * Functions a derived column may not call: they read files, tables, the network or server state,
 * or stall the engine. Everything else is a pure function of the row.
 */
const FORBIDDEN =
	/^(file|url|s3|s3Cluster|gcs|azureBlobStorage|hdfs|remote|remoteSecure|cluster|clusterAllReplicas|mysql|postgresql|mongodb|redis|sqlite|jdbc|odbc|input|executable|dictGet.*|dictHas|joinGet.*|getSetting|currentUser|currentDatabase|hostName|sleep|sleepEachRow|throwIf|globalIn|globalNotIn|in|notIn|getMacro|filesystem.*|url.*|catboostEvaluate|naiveBayesClassifier|evalMLMethod)$/i;

/**
 * Checks a derived-column expression before it is used: it must be one expression (no
 * subqueries, tables, statements) calling only row-level functions over the file's columns.
 * ClickHouse's own parser decides what the text is (EXPLAIN AST), so quoting tricks do not help.
 */
export async function checkExpression(
	db: Db,
	column: string,
	expr: string,
	fileColumns: { name: string }[],
	fileLabel: string
): Promise<void> {
	const fail = (why: string) => {
		throw new IngestError('derived.refused', { column, expr: JSON.stringify(expr), reason: why });
	};
	if (expr.includes(';')) fail(ingestMessage('derived.oneStatement'));
	let ast: string[];
	try {
		// chDB returns EXPLAIN AST rows as bare JSON strings, a server as {"explain": "…"}.
		const rows = await queryRows<{ explain: string } | string>(
			db,
			`EXPLAIN AST SELECT (${expr})`,
			{},
			{ tag: 'ingest:expr' }
		);
		ast = rows.map((r) => (typeof r === 'string' ? r : r.explain));
	} catch (e) {
		return fail(
			ingestMessage('derived.notExpression', {
				detail: ((e as Error).message.split('\n')[0] ?? '').replace(/^[^:]*: /, '')
			})
		);
	}
	// Exactly `SELECT (expr)`: one SelectQuery whose children are a one-expression list and at most
	// the SETTINGS clause the query helper may append (log_comment). A FROM, WHERE or own SETTINGS
	// clause, a second expression or INTO OUTFILE (a top-level literal) change this shape. The AST
	// indents one space per level; the client's FORMAT clause is the other top-level node.
	const at = (depth: number) => ast.filter((l) => new RegExp(`^ {${depth}}\\S`).test(l));
	const [select, ...more] = at(2);
	const [list, ...clauses] = at(3);
	const oneExpression =
		ast.filter((l) => /^\s*SelectQuery\b/.test(l)).length === 1 &&
		/^ {2}SelectQuery\b/.test(select ?? '') &&
		more.length === 0 &&
		list === '   ExpressionList (children 1)' &&
		clauses.length <= 1 &&
		clauses.every((l) => l === '   Set') &&
		at(1).every((l) => l === ' ExpressionList (children 1)' || l === ' Identifier JSONEachRow');
	const tables = /^\s*(TablesInSelectQuery|TableExpression|Subquery|TableIdentifier|SetQuery)\b/;
	if (!oneExpression || ast.some((l) => tables.test(l))) {
		fail(ingestMessage('derived.shape'));
	}
	const names = new Set(fileColumns.map((c) => c.name));
	for (const line of ast) {
		const fn = /^\s*Function (\S+)/.exec(line)?.[1];
		if (fn && (FORBIDDEN.test(fn) || fn.startsWith('_'))) {
			fail(ingestMessage('derived.forbidden', { function: fn }));
		}
		const id = /^\s*Identifier (.+?)(?: \(alias .*\))?$/.exec(line)?.[1];
		if (id !== undefined && !names.has(id) && id !== 'JSONEachRow') {
			fail(ingestMessage('derived.unknownColumn', { name: id, file: fileLabel }));
		}
	}
}
