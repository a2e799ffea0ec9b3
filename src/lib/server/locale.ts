import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/messages.ts';

export const LANG_COOKIE = 'tenure_lang';

/** The UI language: an explicit choice (cookie, set from `?lang=`) over the user's profile, else zh-CN. */
export function pickLocale(cookie: string | undefined, userLocale: string | undefined): Locale {
	if (isLocale(cookie)) return cookie;
	if (isLocale(userLocale)) return userLocale;
	return DEFAULT_LOCALE;
}
