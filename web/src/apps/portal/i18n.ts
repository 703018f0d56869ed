// The portal's strings: the part of the console's locale files it is given,
// the page menu (./nav-strings.ts) and, once the score pages are loaded, theirs
// (./scores/strings.ts, kept out of the dossier lookup's download).
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
import type { NavStrings } from './nav-strings';
import type { ScoreStrings } from './scores/strings';

type All = typeof vi;
/** The part of the locale files the page is given (PORTAL_LOCALE_KEYS in web/vite.config.ts). */
export type PortalStrings = {
  app: Pick<All['app'], 'name'>;
  lang: All['lang'];
  event: { status: All['event']['status'] };
  portal: All['portal'];
};
/** What the page starts with. */
export type StartStrings = PortalStrings & { nav: NavStrings };
/** Every key the page may use; anything else is a compile error. */
export type Key = Leaves<StartStrings & { scores: ScoreStrings }>;

/** The current language and a translator that takes only this page's keys. */
export const useI18n = useLightI18n as () => { lang: Language; t: (key: Key, vars?: Vars) => string };
export const translate = translateAny as (lang: Language, key: Key, vars?: Vars) => string;
export { LanguageSwitch, setLanguage };

let loaded: Record<Language, object> | undefined;
let titleKey: Key = 'portal.title';

export function initI18n(all: Record<Language, StartStrings>, options: { titleKey?: Key } = {}): void {
  loaded = all;
  titleKey = options.titleKey ?? 'portal.title';
  initLightI18n(all, titleKey);
}

/** Adds the score pages' strings when their code arrives. */
export function addScoreStrings(scores: Record<Language, ScoreStrings>): void {
  if (!loaded) throw new Error('initI18n first');
  loaded = { vi: { ...loaded.vi, scores: scores.vi }, en: { ...loaded.en, scores: scores.en } };
  initLightI18n(loaded, titleKey);
}
