import { generateShard, type ShardTask } from './generate.ts';

// Child-process entry for one generator shard (see runShardProcess): task in, counts out over IPC.
process.once('message', (task: ShardTask) => {
	generateShard(task, (done) => process.send?.({ done }))
		.then((result) => {
			process.send?.({ result }, () => process.disconnect());
		})
		.catch((e: Error) => {
			process.exitCode = 1;
			process.send?.({ error: e.message }, () => process.disconnect());
		});
});
