// The survey page's strings, in its own small locale files (./locales).
// Questions come from the instrument's definition instead: see `local()`.
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
import en from './locales/en.json';
import vi from './locales/vi.json';

/** Every key the page may use; anything else is a compile error. */
export type Key = Leaves<typeof vi>;

/** The current language and a translator that takes only this page's keys. */
export const useI18n = useLightI18n as () => { lang: Language; t: (key: Key, vars?: Vars) => string };
export const translate = translateAny as (lang: Language, key: Key, vars?: Vars) => string;
export { LanguageSwitch, setLanguage };

export function initI18n(): void {
  initLightI18n({ vi, en }, 'app.name');
}

/** A text of the definition: `{vi, en?, …}`. */
export type LocalText = Record<string, string | undefined> & { vi: string };

/** A definition text in the language, else in Vietnamese; `lang` says which it is (for the element's lang attribute). */
export function local(text: LocalText, lang: Language): { text: string; lang: Language } {
  const own = text[lang];
  return own ? { text: own, lang } : { text: text.vi, lang: 'vi' };
}
