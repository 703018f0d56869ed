import { SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LocalText } from '../../../../shared/types';
import { type PreviewLang, withText } from './model';

/** One text in Vietnamese and English side by side (stacked on a phone). */
export function LocalTextFields({
  label,
  value,
  onChange,
  optional = false,
  multiline = false,
  testId,
  error,
}: {
  label: string;
  value: LocalText | undefined;
  onChange: (v: LocalText | undefined) => void;
  /** the whole text may be left out (help, scripts) */
  optional?: boolean;
  multiline?: boolean;
  testId?: string;
  error?: boolean;
}) {
  const { t } = useTranslation();
  const field = (lang: PreviewLang) => {
    const props = {
      label: `${label} (${t(`lang.${lang}`)})`,
      value: value?.[lang] ?? '',
      onChange: (e: { currentTarget: { value: string } }) => onChange(withText(value, lang, e.currentTarget.value, optional)),
      'data-testid': testId ? `${testId}-${lang}` : undefined,
      error: error && lang === 'vi' && !optional && !value?.vi,
      lang,
    };
    return multiline ? <Textarea {...props} autosize minRows={2} maxRows={8} /> : <TextInput {...props} />;
  };
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing="xs">
      {field('vi')}
      {field('en')}
    </SimpleGrid>
  );
}
