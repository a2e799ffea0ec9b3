import { generateShard, type ShardTask } from './generate.ts';

// Child-process entry for one generator shard (see runShardProcess): task in, counts out over IPC.
process.once('message', (task: ShardTask) => {
	generateShard(task, (done) => process.send?.({ done }))
		.then((result) => {
			process.send?.({ result }, () => process.exit(0));
		})
		.catch((e: Error) => {
			process.send?.({ error: e.message }, () => process.exit(1));
		});
});
