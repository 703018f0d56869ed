// The portal's strings: the part of the console's locale files it is given.
import type { Language } from '../../shared/language';
import { createLightI18n, type Leaves } from '../../shared/light-i18n';
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

const i18n = createLightI18n<Key>('portal.title');
export const { translate, setLanguage, useI18n } = i18n;

export function initI18n(all: Record<Language, PortalStrings>, options: { titleKey?: Key } = {}): void {
  i18n.init(all, options);
}
