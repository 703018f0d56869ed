// The interviewer console's strings (./locales), Vietnamese first. A staff
// app like the console: i18next, the language kept on the device under the
// same key as every other app. Questions come from the instrument.
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { ApiError, setApiLanguage } from '../../shared/api';
import { isLanguage, LANGUAGES, type Language, readStoredLanguage, storeLanguage } from '../../shared/language';
import type { Leaves } from '../../shared/light-i18n';
import en from './locales/en.json';
import vi from './locales/vi.json';

export { LANGUAGES, type Language };

// Every Vietnamese key must exist in English too; checked by the compiler.
const enChecked: typeof vi = en;

export type Key = Leaves<typeof vi>;
export type Vars = Record<string, string | number>;
export type T = (key: Key, vars?: Vars) => string;

function applyToDocument(lng: string): void {
  const lang = isLanguage(lng) ? lng : 'vi';
  document.documentElement.lang = lang;
  document.title = (i18next.t as unknown as (k: string) => string)('app.title');
  setApiLanguage(lang);
}

export function initI18n(): void {
  i18next.on('languageChanged', applyToDocument);
  void i18next.use(initReactI18next).init({
    resources: { vi: { translation: vi }, en: { translation: enChecked } },
    lng: readStoredLanguage() ?? 'vi',
    fallbackLng: 'vi',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

/** True once the user picked a language on this device (so their profile language is not applied). */
export const hasStoredLanguage = () => readStoredLanguage() !== null;

export function setLanguage(lang: Language, remember = true): void {
  if (remember) storeLanguage(lang);
  void i18next.changeLanguage(lang);
}

/** The translator with this app's keys, and the interface language. */
export function useT(): { t: T; lang: Language } {
  const { t, i18n } = useTranslation();
  return { t: t as unknown as T, lang: i18n.language === 'en' ? 'en' : 'vi' };
}

/** Translates a key built at runtime (a problem or answer code); undefined when there is none. */
export function tryTranslate(key: string, vars?: Vars): string | undefined {
  if (!i18next.exists(key)) return undefined;
  return (i18next.t as unknown as (k: string, o?: Vars) => string)(key, vars);
}

/** A user-facing message for any error, keyed by the problem's stable code. */
export function errorMessage(err: unknown): string {
  const t = i18next.t as unknown as (k: string, o?: Vars) => string;
  if (err instanceof ApiError) {
    if (err.code === 'auth.throttled') {
      const seconds = Number(err.problem.retryAfter);
      return Number.isFinite(seconds) && seconds > 0
        ? t('errors.auth.throttled', { count: Math.ceil(seconds) })
        : t('errors.auth.throttledNoDelay');
    }
    const known = tryTranslate(`errors.${err.code}`);
    if (known && err.status >= 500 && err.requestId)
      return t('errors.withRequestId', { message: known, requestId: err.requestId });
    if (known) return known;
    return err.requestId
      ? t('errors.generic', { title: err.title, requestId: err.requestId })
      : t('errors.genericNoRequestId', { title: err.title });
  }
  return t('errors.genericNoRequestId', { title: err instanceof Error ? err.message : String(err) });
}
