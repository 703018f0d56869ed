// The interface language of every app (console and public pages): Vietnamese by
// default, a person's choice kept on the device. Free of dependencies so the
// light public pages can share it without loading i18next.
export type Language = 'vi' | 'en';
export const LANGUAGES: readonly Language[] = ['vi', 'en'];
const STORAGE_KEY = 'mscore.lang';

export function isLanguage(v: unknown): v is Language {
  return v === 'vi' || v === 'en';
}

/** The language chosen on this device, if any. */
export function readStoredLanguage(): Language | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : null;
  } catch {
    return null;
  }
}

export function storeLanguage(lang: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}
