// Which instrument each channel runs: per unit (inherited by the units below it)
// or tenant-wide, for one sector or all; and what a given unit ends up with.
import { Badge, Button, Code, Group, Loader, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, request } from '../../../../shared/api';
import {
  type InstrumentAssignment,
  type InstrumentSummary,
  SECTORS,
  type Sector,
  SURVEY_CHANNELS,
  type SurveyChannel,
  type UnitInstrument,
} from '../../../../shared/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ServiceUnitSelect, toUnitCode, UnitSelect, WHOLE_TENANT } from '../../components/selects';
import { can, canEverywhere, queryClient, useSession } from '../../session';
import { useUnits } from '../UnitsPage';
import { ASSIGNMENTS_KEY, lt } from './model';

const ANY_SECTOR = '*';

export function Assignments({ instruments }: { instruments: InstrumentSummary[] }) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const canWrite = canEverywhere(me, 'surveys.write');
  const narrow = useMediaQuery('(max-width: 48em)');
  const units = useUnits(can(me, 'units.read'));
  const list = useQuery({
    queryKey: ASSIGNMENTS_KEY,
    queryFn: ({ signal }) => api.get<InstrumentAssignment[]>('/api/v1/instrument-assignments', signal),
  });
  const [removing, setRemoving] = useState<InstrumentAssignment | null>(null);
  const remove = useMutation({
    mutationFn: (a: InstrumentAssignment) => api.delete(`/api/v1/instrument-assignments/${encodeURIComponent(a.id)}`),
    onSuccess: async () => {
      setRemoving(null);
      await queryClient.invalidateQueries({ queryKey: ASSIGNMENTS_KEY });
      await queryClient.invalidateQueries({ queryKey: ['unit-instruments'] });
    },
  });
  const nameOf = (code: string) => {
    const i = instruments.find((x) => x.code === code);
    return i ? lt(i.name, i18n.language) : '';
  };
  const scopeOf = (a: InstrumentAssignment) =>
    a.unit
      ? `${a.unitName ?? a.unit} (${a.unit})`
      : a.sector
        ? t('instruments.assign.tenantSector', { sector: t(`unit.sector.${a.sector}`) })
        : t('instruments.assign.tenantAll');

  return (
    <Stack gap="sm" data-testid="assignments">
      <Title order={2} size="h3">
        {t('instruments.assign.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('instruments.assign.intro')}
      </Text>
      {list.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      {list.data && narrow && (
        <Stack gap="xs" data-testid="assignments-table">
          {list.data.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('instruments.assign.empty')}
            </Text>
          )}
          {list.data.map((a) => (
            <Paper
              key={a.id}
              withBorder
              p="sm"
              radius="md"
              data-testid="assignment-row"
              data-channel={a.channel}
              data-unit={a.unit ?? ''}
            >
              <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
                  <Group gap={6}>
                    <Badge variant="light" color="grape">
                      {t(`instruments.channel.${a.channel}`)}
                    </Badge>
                    <Text size="sm">{scopeOf(a)}</Text>
                  </Group>
                  <Text size="sm">
                    <Code>{a.instrument}</Code>{' '}
                    <Text span c="dimmed" size="sm">
                      {nameOf(a.instrument)}
                    </Text>
                  </Text>
                </Stack>
                {canWrite && (
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    onClick={() => setRemoving(a)}
                    data-testid="assignment-delete"
                    style={{ flexShrink: 0 }}
                  >
                    {t('instruments.assign.remove')}
                  </Button>
                )}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      {list.data && !narrow && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped verticalSpacing="xs" data-testid="assignments-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('instruments.assign.channel')}</Table.Th>
                <Table.Th>{t('instruments.assign.scope')}</Table.Th>
                <Table.Th>{t('instruments.assign.instrument')}</Table.Th>
                {canWrite && <Table.Th w={80}>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={canWrite ? 4 : 3}>
                    <Text size="sm" c="dimmed">
                      {t('instruments.assign.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.data.map((a) => (
                <Table.Tr key={a.id} data-testid="assignment-row" data-channel={a.channel} data-unit={a.unit ?? ''}>
                  <Table.Td>
                    <Badge variant="light" color="grape">
                      {t(`instruments.channel.${a.channel}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {scopeOf(a)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Code>{a.instrument}</Code>
                      <Text size="sm" c="dimmed" lineClamp={1}>
                        {nameOf(a.instrument)}
                      </Text>
                    </Group>
                  </Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        onClick={() => setRemoving(a)}
                        data-testid="assignment-delete"
                      >
                        {t('instruments.assign.remove')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {canWrite && <AssignForm instruments={instruments} units={units.data ?? []} />}
      {units.data && <EffectiveLookup units={units.data} nameOf={nameOf} />}

      <ConfirmModal
        opened={removing !== null}
        title={t('instruments.assign.remove')}
        message={
          removing
            ? t('instruments.assign.removeConfirm', {
                channel: t(`instruments.channel.${removing.channel}`),
                scope: scopeOf(removing),
                instrument: removing.instrument,
              })
            : ''
        }
        confirmLabel={t('instruments.assign.remove')}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
        pending={remove.isPending}
        error={remove.error}
      />
    </Stack>
  );
}

function AssignForm({
  instruments,
  units,
}: {
  instruments: InstrumentSummary[];
  units: Parameters<typeof UnitSelect>[0]['units'];
}) {
  const { t, i18n } = useTranslation();
  const [channel, setChannel] = useState<SurveyChannel | null>(null);
  const [instrument, setInstrument] = useState<string | null>(null);
  const [unit, setUnit] = useState(WHOLE_TENANT);
  const [sector, setSector] = useState<Sector | null>(null);
  const [done, setDone] = useState(false);
  const options = useMemo(
    () =>
      instruments
        .filter((i) => !channel || i.channels.includes(channel))
        .map((i) => ({
          value: i.code,
          label: `${i.code} · ${lt(i.name, i18n.language)}${i.latestVersion === null ? ` (${t('instruments.unpublished')})` : ''}`,
        })),
    [instruments, channel, i18n.language, t],
  );
  const assign = useMutation({
    mutationFn: () => {
      const u = toUnitCode(unit);
      return request<{ id: string }>('/api/v1/instrument-assignments', {
        method: 'PUT',
        body: { channel, instrument, ...(u ? { unit: u } : sector ? { sector } : {}) },
      });
    },
    onMutate: () => setDone(false),
    onSuccess: async () => {
      setDone(true);
      await queryClient.invalidateQueries({ queryKey: ASSIGNMENTS_KEY });
      await queryClient.invalidateQueries({ queryKey: ['unit-instruments'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (channel && instrument) assign.mutate();
  };
  return (
    <Paper withBorder p={{ base: 'sm', sm: 'md' }} radius="md">
      <form onSubmit={submit} data-testid="assign-form">
        <Stack gap="sm">
          <Title order={3} size="h5">
            {t('instruments.assign.formTitle')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
            <Select
              label={t('instruments.assign.channel')}
              required
              value={channel}
              onChange={(v) => {
                setChannel(v as SurveyChannel | null);
                const i = instruments.find((x) => x.code === instrument);
                if (i && v && !i.channels.includes(v as SurveyChannel)) setInstrument(null);
              }}
              data={SURVEY_CHANNELS.map((c) => ({ value: c, label: t(`instruments.channel.${c}`) }))}
              data-testid="assign-channel"
            />
            <Select
              label={t('instruments.assign.instrument')}
              required
              searchable
              value={instrument}
              onChange={setInstrument}
              data={options}
              nothingFoundMessage={t('instruments.assign.noInstrument')}
              data-testid="assign-instrument"
            />
            <UnitSelect
              label={t('instruments.assign.scope')}
              units={units}
              value={unit}
              onChange={setUnit}
              data-testid="assign-unit"
            />
            <Select
              label={t('instruments.sector')}
              description={unit === WHOLE_TENANT ? undefined : t('instruments.assign.sectorUnitHint')}
              allowDeselect={false}
              disabled={unit !== WHOLE_TENANT}
              value={unit === WHOLE_TENANT ? (sector ?? ANY_SECTOR) : ANY_SECTOR}
              onChange={(v) => setSector(!v || v === ANY_SECTOR ? null : (v as Sector))}
              data={[
                { value: ANY_SECTOR, label: t('instruments.anySector') },
                ...SECTORS.map((s) => ({ value: s, label: t(`unit.sector.${s}`) })),
              ]}
              data-testid="assign-sector"
            />
          </SimpleGrid>
          <ErrorAlert error={assign.error} />
          <Group justify="space-between" gap="xs">
            <Text size="xs" c={done ? 'teal.8' : 'dimmed'} aria-live="polite">
              {done ? t('instruments.assign.done') : t('instruments.assign.replaceHint')}
            </Text>
            <Button type="submit" disabled={!channel || !instrument} loading={assign.isPending} data-testid="assign-submit">
              {t('instruments.assign.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function EffectiveLookup({
  units,
  nameOf,
}: {
  units: Parameters<typeof UnitSelect>[0]['units'];
  nameOf: (code: string) => string;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ['unit-instruments', code],
    queryFn: ({ signal }) => api.get<UnitInstrument[]>(`/api/v1/units/${encodeURIComponent(code ?? '')}/instruments`, signal),
    enabled: code !== null,
  });
  return (
    <Paper withBorder p={{ base: 'sm', sm: 'md' }} radius="md" data-testid="effective">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('instruments.assign.effectiveTitle')}
        </Title>
        <ServiceUnitSelect
          label={t('instruments.assign.effectiveUnit')}
          placeholder={t('instruments.assign.chooseUnit')}
          units={units}
          value={code}
          onChange={setCode}
          clearable
          maw={480}
          data-testid="effective-unit"
        />
        {code && q.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
        <ErrorAlert error={q.error} />
        {code && q.data && (
          <Table.ScrollContainer minWidth={480}>
            <Table verticalSpacing={6} fz="sm" data-testid="effective-table">
              <Table.Tbody>
                {q.data.map((r) => (
                  <Table.Tr key={r.channel}>
                    <Table.Td w={140}>{t(`instruments.channel.${r.channel}`)}</Table.Td>
                    <Table.Td>
                      {r.instrument ? (
                        <Group gap={6} wrap="nowrap">
                          <Code>{r.instrument}</Code>
                          <Text size="sm" c="dimmed" lineClamp={1}>
                            {nameOf(r.instrument)}
                          </Text>
                        </Group>
                      ) : (
                        <Text size="sm" c="orange.8">
                          {t('instruments.assign.none')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {r.via === 'unit'
                          ? t('instruments.assign.viaUnit', { unit: r.fromUnit ?? '' })
                          : r.via === 'sector'
                            ? t('instruments.assign.viaSector')
                            : r.via === 'tenant'
                              ? t('instruments.assign.viaTenant')
                              : ''}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
