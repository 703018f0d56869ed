// A few lines instead of i18next (~15 kB gzipped, a fifth of this page's
// JavaScript): the same locale files and conventions as the console — the
// language kept under `mscore.lang`, `{{name}}` placeholders, `key_one` for
// the English singular — for the handful of strings this page shows.
import { useSyncExternalStore } from 'react';
import { setApiLanguage } from '../../shared/api';
import { type Language, readStoredLanguage, storeLanguage } from '../../shared/language';
import type vi from '../../shared/locales/vi.json';

type All = typeof vi;
/** The part of the locale files the page is given (PORTAL_LOCALE_KEYS in web/vite.config.ts). */
export type PortalStrings = {
  app: Pick<All['app'], 'name'>;
  lang: All['lang'];
  event: { status: All['event']['status'] };
  portal: All['portal'];
};

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
/** Every key the page may use; anything else is a compile error. */
export type Key = Leaves<PortalStrings>;
export type Vars = Record<string, string | number>;

let strings: Record<Language, PortalStrings> | undefined;
let current: Language = readStoredLanguage() ?? 'vi';
let titleKey: Key = 'portal.title';
const listeners = new Set<() => void>();

function lookup(lang: Language, key: string): string | undefined {
  let node: unknown = strings?.[lang];
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

function applyToDocument(): void {
  document.documentElement.lang = current;
  document.title = translate(current, titleKey);
  setApiLanguage(current);
}

export function initI18n(all: Record<Language, PortalStrings>, options: { titleKey?: Key } = {}): void {
  strings = all;
  titleKey = options.titleKey ?? titleKey;
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
