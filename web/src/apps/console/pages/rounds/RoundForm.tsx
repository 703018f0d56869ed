// The form of a new round, and of a draft being changed: months, event kinds,
// units, instrument, sample design (with the formula it feeds) and seed.
import {
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, request } from '../../../../shared/api';
import { formatNumber, previousMonth } from '../../../../shared/format';
import type { InstrumentSummary } from '../../../../shared/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MonthSelect, serviceUnits } from '../../components/selects';
import { can, queryClient, useSession } from '../../session';
import { lt } from '../instruments/model';
import { useUnits } from '../UnitsPage';
import {
  CONFIDENCE,
  DEFAULT_DESIGN,
  type Design,
  EVENT_KINDS,
  type EventKind,
  infiniteSample,
  ROUNDS_KEY,
  type RoundDetail,
  type RoundInput,
  requiredSample,
  roundKey,
} from './model';

type Draft = {
  name: string;
  periodFrom: string;
  periodTo: string;
  kinds: EventKind[];
  units: string[];
  instrument: string | null;
  /** margin and proportion as percentages, as people think of them */
  marginPct: number;
  proportionPct: number;
  z: number;
  floor: number;
  splitAbove: number;
  seed: string;
};

function initial(round: RoundDetail | null, timeZone: string): Draft {
  const d = round?.design ?? DEFAULT_DESIGN;
  const month = previousMonth(timeZone);
  return {
    name: round?.name ?? '',
    periodFrom: round?.periodFrom ?? month,
    periodTo: round?.periodTo ?? month,
    kinds: round?.kinds ?? [...EVENT_KINDS],
    units: round?.units ?? [],
    instrument: round?.instrument ?? null,
    marginPct: Math.round(d.margin * 1000) / 10,
    proportionPct: Math.round(d.proportion * 1000) / 10,
    z: d.z,
    floor: d.floor,
    splitAbove: d.splitAbove,
    seed: round?.seed ?? '',
  };
}

const designOf = (f: Draft): Design => ({
  z: f.z,
  proportion: f.proportionPct / 100,
  margin: f.marginPct / 100,
  floor: f.floor,
  splitAbove: f.splitAbove,
});

function toInput(f: Draft): RoundInput {
  return {
    name: f.name.trim(),
    periodFrom: f.periodFrom,
    periodTo: f.periodTo,
    kinds: f.kinds,
    ...(f.units.length ? { units: f.units } : {}),
    ...(f.instrument ? { instrument: f.instrument } : {}),
    design: designOf(f),
    ...(f.seed.trim() ? { seed: f.seed.trim() } : {}),
  };
}

/** Opened with `round` it changes that draft; without, it creates one. */
export function RoundFormModal({
  opened,
  round,
  onClose,
  onSaved,
}: {
  opened: boolean;
  round: RoundDetail | null;
  onClose: () => void;
  onSaved: (r: RoundDetail) => void;
}) {
  const { t } = useTranslation();
  const mobile = useMediaQuery('(max-width: 48em)');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={round ? t('rounds.form.editTitle') : t('rounds.form.createTitle')}
      fullScreen={mobile}
      size="xl"
      centered
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {/* Mounted only while open: every opening starts from the round (or the defaults). */}
      {opened && <RoundForm round={round} onClose={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

function RoundForm({
  round,
  onClose,
  onSaved,
}: {
  round: RoundDetail | null;
  onClose: () => void;
  onSaved: (r: RoundDetail) => void;
}) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const tz = me.tenant.timeZone;
  const lang = i18n.language;
  const [f, setF] = useState<Draft>(() => initial(round, tz));
  const set = (patch: Partial<Draft>) => setF((x) => ({ ...x, ...patch }));

  const units = useUnits(can(me, 'units.read'));
  const instruments = useQuery({
    queryKey: ['instruments'],
    queryFn: ({ signal }) => api.get<InstrumentSummary[]>('/api/v1/instruments', signal),
    enabled: can(me, 'surveys.read'),
  });
  const unitOptions = useMemo(() => {
    const list = serviceUnits(units.data ?? []).map((u) => ({ value: u.code, label: `${u.name} (${u.code})`, sector: u.sector }));
    return (['administration', 'health'] as const)
      .map((s) => ({
        group: t(`unit.sector.${s}`),
        items: list.filter((u) => u.sector === s).map(({ value, label }) => ({ value, label })),
      }))
      .filter((g) => g.items.length > 0);
  }, [units.data, t]);
  const instrumentOptions = useMemo(
    () =>
      (instruments.data ?? [])
        .filter((i) => i.channels.includes('phone') && i.latestVersion !== null)
        .map((i) => ({ value: i.code, label: `${lt(i.name, lang)} (${i.code})` })),
    [instruments.data, lang],
  );

  const save = useMutation({
    mutationFn: (input: RoundInput) =>
      round
        ? request<RoundDetail>(`/api/v1/rounds/${round.id}`, { method: 'PUT', body: input })
        : api.post<RoundDetail>('/api/v1/rounds', input),
    onSuccess: (r) => {
      queryClient.setQueryData(roundKey(r.id), r);
      void queryClient.invalidateQueries({ queryKey: ROUNDS_KEY, exact: true });
      onSaved(r);
    },
  });

  const design = designOf(f);
  const designValid =
    f.marginPct >= 1 &&
    f.marginPct <= 50 &&
    f.proportionPct > 0 &&
    f.proportionPct < 100 &&
    Number.isInteger(f.floor) &&
    f.floor >= 1 &&
    Number.isInteger(f.splitAbove) &&
    f.splitAbove >= 1;
  const monthsValid = f.periodFrom <= f.periodTo;
  const valid = f.name.trim() !== '' && f.kinds.length > 0 && monthsValid && designValid;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) save.mutate(toInput(f));
  };
  const n = (v: number) => formatNumber(v, lang);
  const n0 = designValid ? infiniteSample(design) : null;

  return (
    <form onSubmit={submit} data-testid="round-form" noValidate>
      <Stack>
        <TextInput
          label={t('rounds.form.name')}
          placeholder={t('rounds.form.namePlaceholder')}
          required
          autoComplete="off"
          value={f.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          data-testid="round-name"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <MonthSelect
            label={t('rounds.form.periodFrom')}
            timeZone={tz}
            value={f.periodFrom}
            onChange={(v) => v && set({ periodFrom: v, ...(v > f.periodTo ? { periodTo: v } : {}) })}
            data-testid="round-from"
          />
          <MonthSelect
            label={t('rounds.form.periodTo')}
            timeZone={tz}
            value={f.periodTo}
            onChange={(v) => v && set({ periodTo: v })}
            error={monthsValid ? undefined : t('rounds.form.periodOrder')}
            data-testid="round-to"
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt={-8}>
          {t('rounds.form.periodHelp')}
        </Text>
        <Checkbox.Group
          label={t('rounds.form.kinds')}
          value={f.kinds}
          onChange={(v) => set({ kinds: EVENT_KINDS.filter((k) => v.includes(k)) })}
          error={f.kinds.length ? undefined : t('rounds.form.kindsRequired')}
        >
          <Group mt={6} gap="lg">
            {EVENT_KINDS.map((k) => (
              <Checkbox key={k} value={k} label={t(`event.kind.${k}`)} data-testid={`round-kind-${k}`} />
            ))}
          </Group>
        </Checkbox.Group>
        <MultiSelect
          label={t('rounds.form.units')}
          description={t('rounds.form.unitsHelp')}
          placeholder={f.units.length ? undefined : t('rounds.form.allUnits')}
          data={unitOptions}
          value={f.units}
          onChange={(v) => set({ units: v })}
          searchable
          clearable
          hidePickedOptions
          nothingFoundMessage={t('users.noUnitMatch')}
          maxDropdownHeight={280}
          data-testid="round-units"
        />
        <Select
          label={t('rounds.form.instrument')}
          description={t('rounds.form.instrumentHelp')}
          placeholder={t('rounds.form.instrumentDefault')}
          data={instrumentOptions}
          value={f.instrument}
          onChange={(v) => set({ instrument: v })}
          clearable
          data-testid="round-instrument"
        />

        <Paper withBorder p="sm" radius="md">
          <Stack gap="sm">
            <Title order={3} size="h5">
              {t('rounds.form.design')}
            </Title>
            <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }}>
              <NumberInput
                label={t('rounds.form.margin')}
                description={t('rounds.form.marginHelp')}
                suffix=" %"
                min={1}
                max={50}
                step={0.5}
                decimalScale={1}
                value={f.marginPct}
                onChange={(v) => set({ marginPct: Number(v) })}
                data-testid="round-margin"
              />
              <NumberInput
                label={t('rounds.form.proportion')}
                description={t('rounds.form.proportionHelp')}
                suffix=" %"
                min={1}
                max={99}
                step={5}
                decimalScale={1}
                value={f.proportionPct}
                onChange={(v) => set({ proportionPct: Number(v) })}
                data-testid="round-proportion"
              />
              <Select
                label={t('rounds.form.confidence')}
                description={t('rounds.form.confidenceHelp')}
                allowDeselect={false}
                data={CONFIDENCE.map((c) => ({
                  value: String(c.z),
                  label: t('rounds.form.confidenceLevel', { level: c.level, z: formatNumber(c.z, lang) }),
                }))}
                value={String(f.z)}
                onChange={(v) => v && set({ z: Number(v) })}
                data-testid="round-confidence"
              />
              <NumberInput
                label={t('rounds.form.floor')}
                description={t('rounds.form.floorHelp')}
                min={1}
                max={10000}
                allowDecimal={false}
                value={f.floor}
                onChange={(v) => set({ floor: Number(v) })}
                data-testid="round-floor"
              />
              <NumberInput
                label={t('rounds.form.splitAbove')}
                description={t('rounds.form.splitAboveHelp')}
                min={1}
                allowDecimal={false}
                value={f.splitAbove}
                onChange={(v) => set({ splitAbove: Number(v) })}
                data-testid="round-split"
              />
            </SimpleGrid>
            <Stack gap={4} data-testid="round-formula">
              <Group gap="xs">
                <Code>n₀ = z² · p(1 − p) / e²</Code>
                <Code>n = n₀ / (1 + (n₀ − 1) / N)</Code>
              </Group>
              <Text size="xs" c="dimmed">
                {t('rounds.form.formulaHelp')}
              </Text>
              {n0 !== null && (
                <Text size="xs" data-testid="round-formula-example">
                  {t('rounds.form.formulaExample', {
                    n0: n(Math.ceil(n0 - 1e-9)),
                    n200: n(requiredSample(design, 200)),
                    n1000: n(requiredSample(design, 1000)),
                    floor: n(design.floor),
                  })}
                </Text>
              )}
            </Stack>
          </Stack>
        </Paper>

        <TextInput
          label={t('rounds.form.seed')}
          description={t('rounds.form.seedHelp')}
          placeholder={t('rounds.form.seedPlaceholder')}
          autoComplete="off"
          maxLength={64}
          value={f.seed}
          onChange={(e) => set({ seed: e.currentTarget.value })}
          data-testid="round-seed"
        />
        <ErrorAlert error={save.error} testId="round-form-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" disabled={!valid} loading={save.isPending} data-testid="round-save">
            {round ? t('rounds.form.save') : t('rounds.form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
