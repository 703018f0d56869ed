// A few lines instead of i18next (~15 kB gzipped, a fifth of a public page's
// JavaScript) for the public pages: the console's conventions — the language
// kept under `mscore.lang`, `{{name}}` placeholders, `key_one` for the English
// singular — for the handful of strings such a page shows. One page, one set
// of strings: the state lives in this module; each page's i18n.ts types the keys.
import { useSyncExternalStore } from 'react';
import { setApiLanguage } from './api';
import { LANGUAGES, type Language, readStoredLanguage, storeLanguage } from './language';

/** Every dotted path to a string in a locale object. */
export type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type Vars = Record<string, string | number>;

let strings: Record<Language, unknown> | undefined;
let titleKey = 'app.name';
let current: Language = readStoredLanguage() ?? 'vi';
const listeners = new Set<() => void>();

function lookup(lang: Language, key: string): string | undefined {
  let node: unknown = strings?.[lang];
  for (const part of key.split('.'))
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

export function translate(lang: Language, key: string, vars?: Vars): string {
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

export function initLightI18n(all: Record<Language, unknown>, title: string): void {
  strings = all;
  titleKey = title;
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
export function useLightI18n(): { lang: Language; t: (key: string, vars?: Vars) => string } {
  const lang = useSyncExternalStore(subscribe, () => current);
  return { lang, t: (key, vars) => translate(lang, key, vars) };
}

/** The vi/en switch in the page header; the page's strings need `lang.label`, `lang.vi` and `lang.en`. */
export function LanguageSwitch() {
  const { t, lang } = useLightI18n();
  return (
    <fieldset className="lang" data-testid="lang-switch">
      <legend className="visually-hidden">{t('lang.label')}</legend>
      {LANGUAGES.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={lang === l} onClick={() => setLanguage(l)}>
          {/* Each language is named in itself. */}
          {translate(l, `lang.${l}`)}
        </button>
      ))}
    </fieldset>
  );
}
