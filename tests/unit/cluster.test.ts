import { expect, test } from 'vitest';
import { shardKeyOf, toClusterDdl } from '../../sql/cluster.ts';

const table = `-- ORDER BY account_id: the natural key.
-- tenure:shard-by cityHash64(account_id)
CREATE TABLE IF NOT EXISTS accounts
(
    account_id  String,
    created_at  DateTime('UTC'),
    _version    UInt64,
    _deleted    UInt8
)
ENGINE = ReplacingMergeTree(_version, _deleted)
ORDER BY account_id`;

test('a table becomes a replicated local table plus a Distributed table sharded as commented', () => {
	expect(toClusterDdl(table, 'tenure_cluster')).toEqual([
		`CREATE TABLE IF NOT EXISTS accounts_local ON CLUSTER 'tenure_cluster' (
    account_id  String,
    created_at  DateTime('UTC'),
    _version    UInt64,
    _deleted    UInt8
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/accounts_local', '{replica}', _version, _deleted)
ORDER BY account_id`,
		"CREATE TABLE IF NOT EXISTS accounts ON CLUSTER 'tenure_cluster' AS accounts_local ENGINE = Distributed('tenure_cluster', currentDatabase(), accounts_local, cityHash64(account_id))"
	]);
});

test('a plain MergeTree without arguments and without a shard comment shards at random', () => {
	const [local, dist] = toClusterDdl(
		'CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x',
		'c1'
	);
	expect(local).toBe(
		"CREATE TABLE t_local ON CLUSTER 'c1' (x UInt8) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/t_local', '{replica}') ORDER BY x"
	);
	expect(dist).toBe(
		"CREATE TABLE t ON CLUSTER 'c1' AS t_local ENGINE = Distributed('c1', currentDatabase(), t_local, rand())"
	);
	expect(shardKeyOf('SELECT 1')).toBe('rand()');
});

test('column changes go to both tables, other ALTERs to the local table only', () => {
	expect(toClusterDdl('ALTER TABLE t ADD COLUMN y String', 'c1')).toEqual([
		"ALTER TABLE t_local ON CLUSTER 'c1' ADD COLUMN y String",
		"ALTER TABLE t ON CLUSTER 'c1' ADD COLUMN y String"
	]);
	expect(toClusterDdl('ALTER TABLE t MODIFY TTL d + INTERVAL 1 YEAR', 'c1')).toEqual([
		"ALTER TABLE t_local ON CLUSTER 'c1' MODIFY TTL d + INTERVAL 1 YEAR"
	]);
});

test('a statement without a cluster form is refused with a pointer to the rule file', () => {
	expect(() => toClusterDdl('DROP TABLE t', 'c1')).toThrow(
		'No cluster form for this statement; add a rule to sql/cluster.ts'
	);
});
