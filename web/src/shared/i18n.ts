import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ApiError, setApiLanguage } from './api';
import { isLanguage, LANGUAGES, type Language, readStoredLanguage, storeLanguage } from './language';
import en from './locales/en.json';
import vi from './locales/vi.json';

export { LANGUAGES, type Language };

// Every Vietnamese key must exist in English too; checked by the compiler.
const enChecked: typeof vi = en;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof vi };
  }
}

/** True once the user picked a language on this device (so their profile language is not applied). */
export function hasStoredLanguage(): boolean {
  return readStoredLanguage() !== null;
}

function applyToDocument(lng: string): void {
  const lang = isLanguage(lng) ? lng : 'vi';
  document.documentElement.lang = lang;
  document.title = i18next.t('app.name');
  setApiLanguage(lang);
}

i18next.on('languageChanged', applyToDocument);

void i18next.use(initReactI18next).init({
  resources: { vi: { translation: vi }, en: { translation: enChecked } },
  lng: readStoredLanguage() ?? 'vi',
  fallbackLng: 'vi',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLanguage(lang: Language, remember = true): void {
  if (remember) storeLanguage(lang);
  void i18next.changeLanguage(lang);
}

/** Translates a key built at runtime; undefined when the key does not exist. */
export function tryTranslate(key: string, options?: Record<string, unknown>): string | undefined {
  if (!i18next.exists(key)) return undefined;
  return (i18next.t as (k: string, o?: Record<string, unknown>) => string)(key, options);
}

/** A user-facing message for any error, keyed by the problem code. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'auth.throttled') {
      const seconds = Number(err.problem.retryAfter);
      return Number.isFinite(seconds) && seconds > 0
        ? i18next.t('errors.auth.throttled', { count: Math.ceil(seconds) })
        : i18next.t('errors.auth.throttledNoDelay');
    }
    const known = tryTranslate(`errors.${err.code}`, { ...err.problem });
    if (known && err.status >= 500 && err.requestId) {
      return i18next.t('errors.withRequestId', { message: known, requestId: err.requestId });
    }
    if (known) return known;
    return err.requestId
      ? i18next.t('errors.generic', { title: err.title, requestId: err.requestId })
      : i18next.t('errors.genericNoRequestId', { title: err.title });
  }
  const title = err instanceof Error ? err.message : String(err);
  return i18next.t('errors.genericNoRequestId', { title });
}

export default i18next;
