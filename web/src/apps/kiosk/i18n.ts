// The kiosk's strings (./locales). Questions come from the instrument. Texts
// are Vietnamese or English; a minority language (Vân Kiều, Pa Kô) shows the
// Vietnamese text and plays that language's recordings.
import type { Language } from '../../shared/language';
import {
  initLightI18n,
  type Leaves,
  setLanguage,
  translate as translateAny,
  useLightI18n,
  type Vars,
} from '../../shared/light-i18n';
import en from './locales/en.json';
import vi from './locales/vi.json';

export type Key = Leaves<typeof vi>;
export const useI18n = useLightI18n as () => { lang: Language; t: (key: Key, vars?: Vars) => string };
export const translate = translateAny as (lang: Language, key: Key, vars?: Vars) => string;
export { setLanguage };

export function initI18n(): void {
  initLightI18n({ vi, en }, 'app.name');
}

export type LocalText = Record<string, string | undefined> & { vi: string };
export const local = (text: LocalText | undefined, lang: Language) => (text ? (text[lang] ?? text.vi) : '');
