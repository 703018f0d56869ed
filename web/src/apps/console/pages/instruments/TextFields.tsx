import { SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LocalText } from '../../../../shared/types';
import { languageName, useEditLanguages } from './Languages';
import { withText } from './model';

/** One text in every language of the draft, Vietnamese first: two side by side, stacked on a phone. */
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
  const languages = useEditLanguages();
  const field = (lang: string) => {
    const props = {
      label: `${label} (${languageName(lang)})`,
      value: value?.[lang] ?? '',
      onChange: (e: { currentTarget: { value: string } }) => onChange(withText(value, lang, e.currentTarget.value, optional)),
      'data-testid': testId ? `${testId}-${lang}` : undefined,
      error: error && lang === 'vi' && !optional && !value?.vi,
      // A translation not written yet: the respondent sees the Vietnamese text.
      placeholder: lang !== 'vi' && value?.vi && !value[lang] ? t('instruments.languages.untranslated') : undefined,
      lang,
    };
    return multiline ? <Textarea key={lang} {...props} autosize minRows={2} maxRows={8} /> : <TextInput key={lang} {...props} />;
  };
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing="xs">
      {languages.map(field)}
    </SimpleGrid>
  );
}
