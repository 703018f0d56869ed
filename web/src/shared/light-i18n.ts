// A few lines instead of i18next (~15 kB gzipped, a fifth of a public page's
// JavaScript) for the public pages: the console's conventions — the language
// kept under `mscore.lang`, `{{name}}` placeholders, `key_one` for the English
// singular — for the handful of strings such a page shows.
import { useSyncExternalStore } from 'react';
import { setApiLanguage } from './api';
import { type Language, readStoredLanguage, storeLanguage } from './language';

/** Every dotted path to a string in a locale object. */
export type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type Vars = Record<string, string | number>;

export function createLightI18n<Key extends string>(titleKey: Key) {
  let strings: Record<Language, unknown> | undefined;
  let title = titleKey;
  let current: Language = readStoredLanguage() ?? 'vi';
  const listeners = new Set<() => void>();

  function lookup(lang: Language, key: string): string | undefined {
    let node: unknown = strings?.[lang];
    for (const part of key.split('.'))
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    return typeof node === 'string' ? node : undefined;
  }

  function translate(lang: Language, key: Key, vars?: Vars): string {
    const count = vars?.count;
    const plural = typeof count === 'number' ? lookup(lang, `${key}_${new Intl.PluralRules(lang).select(count)}`) : undefined;
    const text = plural ?? lookup(lang, key) ?? lookup('vi', key) ?? key;
    return vars ? text.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  }

  function applyToDocument(): void {
    document.documentElement.lang = current;
    document.title = translate(current, title);
    setApiLanguage(current);
  }

  function subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  return {
    translate,
    init(all: Record<Language, unknown>, options: { titleKey?: Key } = {}): void {
      strings = all;
      title = options.titleKey ?? title;
      applyToDocument();
    },
    setLanguage(lang: Language): void {
      storeLanguage(lang);
      current = lang;
      applyToDocument();
      for (const l of listeners) l();
    },
    /** The current language and its translator; re-renders when the language changes. */
    useI18n(): { lang: Language; t: (key: Key, vars?: Vars) => string } {
      const lang = useSyncExternalStore(subscribe, () => current);
      return { lang, t: (key, vars) => translate(lang, key, vars) };
    },
  };
}
