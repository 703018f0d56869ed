import { Alert, Button, Group, SegmentedControl, Text } from '@mantine/core';
import { errorMessage, LANGUAGES, type Language, setLanguage, useT } from './i18n';

/** The vi/en switch of the interface (the questionnaire's language is chosen on the call screen). */
export function LanguageSwitch() {
  const { t, lang } = useT();
  return (
    <SegmentedControl
      data-testid="lang-switch"
      aria-label={t('lang.label')}
      size="xs"
      value={lang}
      onChange={(v) => setLanguage(v as Language)}
      data={LANGUAGES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
    />
  );
}

export function ErrorAlert({ error, onRetry, testId }: { error: unknown; onRetry?: () => void; testId?: string }) {
  const { t } = useT();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" role="alert" data-testid={testId ?? 'error'}>
      <Group justify="space-between" gap="xs">
        <Text size="sm">{errorMessage(error)}</Text>
        {onRetry && (
          <Button size="xs" variant="subtle" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}

/** Whether a key press was typed into a field (then it is the field's, not a shortcut). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(target.type);
  return false;
}

/** A key press without Ctrl, Alt or Meta (Shift is allowed: capitals). */
export const plainKey = (e: KeyboardEvent) => !e.ctrlKey && !e.altKey && !e.metaKey;
