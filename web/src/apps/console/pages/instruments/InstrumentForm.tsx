// Creating an instrument (a draft with one faces item to start from) and
// changing its name, sector and channels, which are not versioned.
import { Button, Checkbox, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../shared/api';
import {
  type InstrumentDefinition,
  type InstrumentSummary,
  SECTORS,
  type Sector,
  SURVEY_CHANNELS,
  type SurveyChannel,
} from '../../../../shared/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { navigate } from '../../router';
import { queryClient } from '../../session';
import { INSTRUMENTS_KEY, MONO } from './model';

const NO_SECTOR = '*';

type Existing = Pick<InstrumentSummary, 'code' | 'name' | 'sector' | 'channels' | 'framework'>;

export function InstrumentFormModal({
  opened,
  onClose,
  existing,
}: {
  opened: boolean;
  onClose: () => void;
  /** absent: a new instrument */
  existing?: Existing;
}) {
  const { t } = useTranslation();
  const mobile = useMediaQuery('(max-width: 36em)');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={existing ? t('instruments.form.editTitle', { code: existing.code }) : t('instruments.form.newTitle')}
      centered
      size="lg"
      fullScreen={mobile}
    >
      {opened && <Form existing={existing} onDone={onClose} />}
    </Modal>
  );
}

function Form({ existing, onDone }: { existing?: Existing; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const [code, setCode] = useState(existing?.code ?? '');
  const [nameVi, setNameVi] = useState(existing?.name.vi ?? '');
  const [nameEn, setNameEn] = useState(existing?.name.en ?? '');
  const [sector, setSector] = useState<Sector | null>(existing?.sector ?? null);
  const [channels, setChannels] = useState<SurveyChannel[]>(existing?.channels ?? ['kiosk', 'web']);
  const [framework, setFramework] = useState(existing?.framework ?? '');
  const codeValid = /^[A-Z][A-Z0-9_]{1,39}$/.test(code);

  const save = useMutation({
    mutationFn: async () => {
      const name = nameEn.trim() ? { vi: nameVi.trim(), en: nameEn.trim() } : { vi: nameVi.trim() };
      const meta = { name, sector, channels, framework: framework.trim() || null };
      if (existing) {
        await api.patch<void>(`/api/v1/instruments/${encodeURIComponent(existing.code)}`, meta);
        return existing.code;
      }
      // The first draft holds one faces item, in both languages whatever the console's language.
      const vi = i18n.getFixedT('vi');
      const en = i18n.getFixedT('en');
      const definition: InstrumentDefinition = {
        languages: ['vi', 'en'],
        items: [
          {
            code: 'OVERALL',
            type: 'faces',
            required: true,
            label: { vi: vi('instruments.form.starterLabel'), en: en('instruments.form.starterLabel') },
          },
        ],
      };
      await api.post<{ code: string; version: number }>('/api/v1/instruments', { code, ...meta, definition });
      return code;
    },
    onSuccess: async (c) => {
      await queryClient.invalidateQueries({ queryKey: INSTRUMENTS_KEY });
      onDone();
      if (!existing) navigate(`/instruments?code=${encodeURIComponent(c)}`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if ((existing || codeValid) && nameVi.trim() && channels.length > 0) save.mutate();
  };

  return (
    <form onSubmit={submit} data-testid="instrument-form">
      <Stack>
        {!existing && (
          <TextInput
            label={t('instruments.form.code')}
            description={t('instruments.form.codeHint')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value.toUpperCase().replace(/[^A-Z0-9_]/g, '_'))}
            error={code && !codeValid ? t('instruments.form.codeInvalid') : undefined}
            required
            maxLength={40}
            styles={MONO}
            autoComplete="off"
            spellCheck={false}
            data-testid="instrument-form-code"
            data-autofocus
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label={`${t('instruments.form.name')} (${t('lang.vi')})`}
            value={nameVi}
            onChange={(e) => setNameVi(e.currentTarget.value)}
            required
            maxLength={200}
            lang="vi"
            data-testid="instrument-form-name-vi"
          />
          <TextInput
            label={`${t('instruments.form.name')} (${t('lang.en')})`}
            value={nameEn}
            onChange={(e) => setNameEn(e.currentTarget.value)}
            maxLength={200}
            lang="en"
            data-testid="instrument-form-name-en"
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label={t('instruments.sector')}
            allowDeselect={false}
            value={sector ?? NO_SECTOR}
            onChange={(v) => setSector(!v || v === NO_SECTOR ? null : (v as Sector))}
            data={[
              { value: NO_SECTOR, label: t('instruments.anySector') },
              ...SECTORS.map((s) => ({ value: s, label: t(`unit.sector.${s}`) })),
            ]}
          />
          <TextInput
            label={t('instruments.form.framework')}
            description={t('instruments.form.frameworkHint')}
            value={framework}
            onChange={(e) => setFramework(e.currentTarget.value)}
            maxLength={60}
          />
        </SimpleGrid>
        <Checkbox.Group
          label={t('instruments.channels')}
          description={t('instruments.form.channelsHint')}
          value={channels}
          onChange={(v) => setChannels(SURVEY_CHANNELS.filter((c) => v.includes(c)))}
          error={channels.length === 0 ? t('instruments.form.channelsRequired') : undefined}
          required
        >
          <Group gap="md" mt={6}>
            {SURVEY_CHANNELS.map((c) => (
              <Checkbox key={c} value={c} label={t(`instruments.channel.${c}`)} data-testid={`instrument-form-channel-${c}`} />
            ))}
          </Group>
        </Checkbox.Group>
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={(!existing && !codeValid) || !nameVi.trim() || channels.length === 0}
            data-testid="instrument-form-submit"
          >
            {existing ? t('instruments.form.save') : t('instruments.form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
