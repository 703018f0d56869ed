// The survey page's strings without i18next, like the portal's: its own small
// locale files (./locales), the language kept under `mscore.lang` with the
// other apps, `{{name}}` placeholders, `key_one` for the English singular.
// Questions come from the instrument's definition instead: see `local()`.
import { useSyncExternalStore } from 'react';
import { setApiLanguage } from '../../shared/api';
import { type Language, readStoredLanguage, storeLanguage } from '../../shared/language';
import en from './locales/en.json';
import vi from './locales/vi.json';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
/** Every key the page may use; anything else is a compile error. */
export type Key = Leaves<typeof vi>;
export type Vars = Record<string, string | number>;

const strings: Record<Language, unknown> = { vi, en };
let current: Language = readStoredLanguage() ?? 'vi';
const listeners = new Set<() => void>();

function lookup(lang: Language, key: string): string | undefined {
  let node: unknown = strings[lang];
  for (const part of key.split('.'))
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

export function translate(lang: Language, key: Key, vars?: Vars): string {
  const count = vars?.count;
  const plural = typeof count === 'number' ? lookup(lang, `${key}_${new Intl.PluralRules(lang).select(count)}`) : undefined;
  const text = plural ?? lookup(lang, key) ?? lookup('vi', key) ?? key;
  return vars ? text.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}

/** A text of the definition: `{vi, en?, …}`. */
export type LocalText = Record<string, string | undefined> & { vi: string };

/** A definition text in the language, else in Vietnamese; `lang` says which it is (for the element's lang attribute). */
export function local(text: LocalText, lang: Language): { text: string; lang: Language } {
  const own = text[lang];
  return own ? { text: own, lang } : { text: text.vi, lang: 'vi' };
}

function applyToDocument(): void {
  document.documentElement.lang = current;
  document.title = translate(current, 'app.name');
  setApiLanguage(current);
}

export function initI18n(): void {
  applyToDocument();
}

export function setLanguage(lang: Language): void {
  storeLanguage(lang);
  current = lang;
  applyToDocument();
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current language and its translator; re-renders when the language changes. */
export function useI18n(): { lang: Language; t: (key: Key, vars?: Vars) => string } {
  const lang = useSyncExternalStore(subscribe, () => current);
  return { lang, t: (key, vars) => translate(lang, key, vars) };
}
