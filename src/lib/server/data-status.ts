import type { Db } from '../../../sql/client.ts';
import { loadQuery, queryOne, queryRows } from '../../../sql/query.ts';
import { ENTITIES } from '../../../ingest/entities.ts';

export interface EntityStatus {
	entity: string;
	table: string;
	rows: number;
	lastLoadMs: number | null;
}

/**
 * Row count and last successful load per core table. Table names come only from the entity
 * allow-list, never from a request.
 */
export async function entityStatus(db: Db): Promise<EntityStatus[]> {
	const tables = [...ENTITIES.values()].map((e) => ({ entity: e.name, table: e.table }));
	const lastLoads = await queryRows<{ tbl: string; last_ms: number | string }>(
		db,
		loadQuery('entity-last-loads'),
		{},
		{ tag: 'portal:last-loads' }
	);
	const lastByTable = new Map(lastLoads.map((r) => [r.tbl, Number(r.last_ms)]));
	const counts = await Promise.all(
		tables.map((t) =>
			queryOne<{ n: number | string }>(
				db,
				loadQuery('entity-row-count'),
				{ table: t.table },
				{ tag: `portal:count:${t.table}` }
			)
		)
	);
	return tables.map((t, i) => ({
		...t,
		rows: Number(counts[i]?.n ?? 0),
		lastLoadMs: lastByTable.get(t.table) ?? null
	}));
}
