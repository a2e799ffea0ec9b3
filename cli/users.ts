import { Option, type Command } from 'commander';
import {
	createUser,
	randomPassword,
	ROLES,
	UserError,
	type Role
} from '../src/lib/server/users.ts';
import { fail, withDb } from './context.ts';

export function registerUserCommands(program: Command): void {
	const user = program.command('user').description('Manage portal users.');
	user
		.command('add')
		.description('Create a user, or update the role/password of an existing one (same e-mail).')
		.requiredOption('--email <email>', 'sign-in e-mail (for CSMs: the CRM owner e-mail)')
		.addOption(
			new Option('--role <role>', 'what the user may see and do')
				.choices(ROLES)
				.makeOptionMandatory()
		)
		.option('--name <name>', 'display name')
		.option('--team <team>', 'team (managers see their team’s accounts)')
		.option('--password <password>', 'password (default: a generated one, printed once)')
		.action(
			async (opts: {
				email: string;
				role: Role;
				name?: string;
				team?: string;
				password?: string;
			}) => {
				await withDb(async (db) => {
					const password = opts.password ?? randomPassword();
					try {
						const u = await createUser(db, { ...opts, password });
						process.stdout.write(
							`${u.email} (${u.role})${opts.password ? '' : ` password: ${password}`}\n`
						);
					} catch (e) {
						if (e instanceof UserError) fail(e.message);
						throw e;
					}
				});
			}
		);
}
