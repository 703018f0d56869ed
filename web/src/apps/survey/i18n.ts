// The survey page's strings, in its own small locale files (./locales).
// Questions come from the instrument's definition instead: see `local()`.
import type { Language } from '../../shared/language';
import { createLightI18n, type Leaves } from '../../shared/light-i18n';
import en from './locales/en.json';
import vi from './locales/vi.json';

/** Every key the page may use; anything else is a compile error. */
export type Key = Leaves<typeof vi>;

const i18n = createLightI18n<Key>('app.name');
export const { translate, setLanguage, useI18n } = i18n;

export function initI18n(): void {
  i18n.init({ vi, en });
}

/** A text of the definition: `{vi, en?, …}`. */
export type LocalText = Record<string, string | undefined> & { vi: string };

/** A definition text in the language, else in Vietnamese; `lang` says which it is (for the element's lang attribute). */
export function local(text: LocalText, lang: Language): { text: string; lang: Language } {
  const own = text[lang];
  return own ? { text: own, lang } : { text: text.vi, lang: 'vi' };
}
