// The portal's strings: the part of the console's locale files it is given.
import type { Language } from '../../shared/language';
import {
  initLightI18n,
  LanguageSwitch,
  type Leaves,
  setLanguage,
  translate as translateAny,
  useLightI18n,
  type Vars,
} from '../../shared/light-i18n';
import type vi from '../../shared/locales/vi.json';

type All = typeof vi;
/** The part of the locale files the page is given (PORTAL_LOCALE_KEYS in web/vite.config.ts). */
export type PortalStrings = {
  app: Pick<All['app'], 'name'>;
  lang: All['lang'];
  event: { status: All['event']['status'] };
  portal: All['portal'];
};
/** Every key the page may use; anything else is a compile error. */
export type Key = Leaves<PortalStrings>;

/** The current language and a translator that takes only this page's keys. */
export const useI18n = useLightI18n as () => { lang: Language; t: (key: Key, vars?: Vars) => string };
export const translate = translateAny as (lang: Language, key: Key, vars?: Vars) => string;
export { LanguageSwitch, setLanguage };

export function initI18n(all: Record<Language, PortalStrings>, options: { titleKey?: Key } = {}): void {
  initLightI18n(all, options.titleKey ?? 'portal.title');
}
