// The languages of a draft: listed by name, one added from suggestions or by its
// code, one removed (never Vietnamese) after confirmation, with its texts.
import { Badge, CloseButton, Group, type OptionsFilter, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { createContext, useContext, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tryTranslate } from '../../../../shared/i18n';
import { ConfirmModal } from '../../components/ConfirmModal';
import { editLanguages, MAX_LANGUAGES, normalizeLanguage, SUGGESTED_LANGUAGES } from './model';

/** The languages the text fields of the open draft show, Vietnamese first. */
export const LanguagesContext = createContext<readonly string[]>(['vi', 'en']);
export const useEditLanguages = () => useContext(LanguagesContext);

/** "Tiếng Vân Kiều" for bru; the code itself for a language the console has no name for. */
export function languageName(code: string): string {
  return tryTranslate(`instruments.langName.${code}`) ?? code;
}

/** "Tiếng Vân Kiều (bru)", or just the code. */
export function languageLabel(code: string): string {
  const name = languageName(code);
  return name === code ? code : `${name} (${code})`;
}

/** Options match on their name and on their code; the typed code is always offered. */
const filter: OptionsFilter = ({ options, search }) => {
  const q = search.trim().toLowerCase();
  if (!q) return options;
  return options.filter((o) => 'value' in o && (o.label.toLowerCase().includes(q) || o.value.toLowerCase().startsWith(q)));
};

export function LanguagesControl({
  languages,
  onAdd,
  onRemove,
  textCount,
}: {
  /** the definition's languages */
  languages: readonly string[];
  onAdd: (code: string) => void;
  onRemove: (code: string) => void;
  /** how many texts are written in a language (told before they are dropped) */
  textCount: (code: string) => number;
}) {
  const { t } = useTranslation();
  const shown = editLanguages(languages);
  const [search, setSearch] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);
  const typed = normalizeLanguage(search);
  const data: { value: string; label: string }[] = SUGGESTED_LANGUAGES.filter((l) => !shown.includes(l)).map((l) => ({
    value: l,
    label: languageLabel(l),
  }));
  if (typed && !shown.includes(typed) && !data.some((o) => o.value === typed))
    data.push({ value: typed, label: t('instruments.languages.addCode', { code: typed }) });
  const full = shown.length >= MAX_LANGUAGES;
  const nothingFound = !search.trim()
    ? t('instruments.languages.allAdded')
    : typed && shown.includes(typed)
      ? t('instruments.languages.already', { name: languageLabel(typed) })
      : t('instruments.languages.invalidCode');

  return (
    <Paper withBorder p="sm" radius="md" data-testid="draft-languages">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('instruments.languages.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('instruments.languages.hint')}
        </Text>
        <Group gap="xs" wrap="wrap" align="center">
          <Group gap={6} wrap="wrap" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
            {shown.map((l) => (
              <Badge
                key={l}
                component="li"
                size="lg"
                variant="light"
                color={l === 'vi' ? 'blue' : 'gray'}
                c="dark.7"
                data-testid="draft-language"
                data-lang={l}
                pr={l === 'vi' ? undefined : 4}
                rightSection={
                  l === 'vi' ? undefined : (
                    <CloseButton
                      size="sm"
                      iconSize={14}
                      onClick={() => setRemoving(l)}
                      aria-label={t('instruments.languages.remove', { name: languageLabel(l) })}
                      data-testid="draft-language-remove"
                    />
                  )
                }
              >
                {languageName(l)}
                {languageName(l) !== l && (
                  <Text span size="xs" c="dimmed" ff="monospace" ml={6}>
                    {l}
                  </Text>
                )}
              </Badge>
            ))}
          </Group>
          <Select
            size="xs"
            searchable
            value={null}
            searchValue={search}
            onSearchChange={setSearch}
            onChange={(v) => {
              if (v) onAdd(v);
              setSearch('');
            }}
            data={data}
            filter={filter}
            disabled={full}
            aria-label={t('instruments.languages.add')}
            placeholder={full ? t('instruments.languages.full', { max: MAX_LANGUAGES }) : t('instruments.languages.add')}
            nothingFoundMessage={nothingFound}
            w={240}
            data-testid="draft-language-add"
          />
        </Group>
      </Stack>
      <ConfirmModal
        opened={removing !== null}
        title={t('instruments.languages.removeTitle', { name: removing ? languageLabel(removing) : '' })}
        message={t('instruments.languages.removeConfirm', {
          name: removing ? languageLabel(removing) : '',
          count: removing ? textCount(removing) : 0,
        })}
        confirmLabel={t('instruments.languages.removeButton')}
        onConfirm={() => {
          if (removing) onRemove(removing);
          setRemoving(null);
        }}
        onClose={() => setRemoving(null)}
      />
    </Paper>
  );
}
