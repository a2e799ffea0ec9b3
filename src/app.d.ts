import type { Locale } from './lib/i18n/messages.ts';
import type { Session } from './lib/server/auth.ts';
import type { User } from './lib/server/users.ts';

declare global {
	namespace App {
		interface Locals {
			user: User | null;
			session: Session | null;
			locale: Locale;
		}
		interface Error {
			message: string;
			/** Quoted to the user and logged with the stack trace, to find one in the other. */
			errorId?: string;
		}
	}
}

export {};
