/**
 * Rewrites single-node DDL for a ClickHouse cluster: each table becomes a Replicated* table
 * `<name>_local` on every node plus a Distributed table `<name>` over it, sharded by the key named
 * in the migration's `-- tenure:shard-by <expr>` comment (rows of one account land on one shard,
 * so FINAL deduplicates correctly per shard). Queries keep using `<name>`.
 */

const createTable =
	/^\s*CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(\([\s\S]*\))\s*ENGINE\s*=\s*([A-Za-z]*MergeTree)(?:\s*\(([^)]*)\))?([\s\S]*)$/i;
const alterTable = /^\s*ALTER\s+TABLE\s+([A-Za-z_][A-Za-z0-9_]*)\s+([\s\S]*)$/i;
const columnAlter = /^\s*(ADD|DROP|MODIFY|RENAME|COMMENT)\s+COLUMN\b/i;

export function shardKeyOf(statement: string): string {
	const m = /--\s*tenure:shard-by\s+(.+)$/m.exec(statement);
	return m?.[1]?.trim() ?? 'rand()';
}

function stripComments(sql: string): string {
	return sql
		.split('\n')
		.filter((line) => !/^\s*--/.test(line))
		.join('\n')
		.trim();
}

function quote(s: string): string {
	return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Returns the statements to run on a cluster in place of one single-node statement. */
export function toClusterDdl(statement: string, cluster: string): string[] {
	const sql = stripComments(statement);
	const on = `ON CLUSTER ${quote(cluster)}`;
	const ct = createTable.exec(sql);
	if (ct) {
		const [, ifNotExists = '', name, columns, engine, args, rest] = ct;
		const local = `${name}_local`;
		const zk = quote(`/clickhouse/tables/{shard}/{database}/${local}`);
		const engineArgs = [zk, quote('{replica}'), ...(args?.trim() ? [args.trim()] : [])].join(', ');
		return [
			`CREATE TABLE ${ifNotExists}${local} ${on} ${columns} ENGINE = Replicated${engine}(${engineArgs})${rest}`,
			`CREATE TABLE ${ifNotExists}${name} ${on} AS ${local} ENGINE = Distributed(${quote(cluster)}, currentDatabase(), ${local}, ${shardKeyOf(statement)})`
		];
	}
	const at = alterTable.exec(sql);
	if (at) {
		const [, name, action = ''] = at;
		const statements = [`ALTER TABLE ${name}_local ${on} ${action}`];
		if (columnAlter.test(action)) statements.push(`ALTER TABLE ${name} ${on} ${action}`);
		return statements;
	}
	const view =
		/^\s*CREATE\s+(OR\s+REPLACE\s+)?VIEW\s+(IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)\s+([\s\S]*)$/i.exec(
			sql
		);
	if (view) {
		const [, orReplace = '', ifNotExists = '', name, rest] = view;
		return [`CREATE ${orReplace}VIEW ${ifNotExists}${name} ${on} ${rest}`];
	}
	throw new Error(
		`No cluster form for this statement; add a rule to sql/cluster.ts:\n${sql.slice(0, 200)}`
	);
}
