// Answer counts of an instrument from the rollups, by version and item. Each
// version lists its own items, so items dropped later stay under the versions that asked them.
import { Badge, Button, Group, Loader, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../shared/api';
import { formatNumber } from '../../../../shared/format';
import {
  type InstrumentItem,
  type InstrumentVersion,
  type ResponseCountRow,
  type ResponseCounts,
  SURVEY_CHANNELS,
  type SurveyChannel,
} from '../../../../shared/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { lt, optionsOf } from './model';

const ALL = '*';

interface ItemCounts {
  code: string;
  item: InstrumentItem | undefined;
  answered: number;
  noOpinion: number;
  values: { value: string; count: number }[];
}

interface VersionCounts {
  version: number;
  responses: number;
  flagged: number;
  items: ItemCounts[];
}

function group(rows: ResponseCountRow[], versions: InstrumentVersion[]): VersionCounts[] {
  const byVersion = new Map<number, ResponseCountRow[]>();
  for (const r of rows) {
    const list = byVersion.get(r.version) ?? [];
    list.push(r);
    byVersion.set(r.version, list);
  }
  return [...byVersion.entries()]
    .sort(([a], [b]) => b - a)
    .map(([version, list]) => {
      const def = versions.find((v) => v.version === version)?.definition;
      const counted = list.filter((r) => r.flag === '');
      const responses = counted.filter((r) => r.item === '_n').reduce((s, r) => s + r.count, 0);
      const flagged = list.filter((r) => r.item === '_n' && r.flag !== '').reduce((s, r) => s + r.count, 0);
      const codes = def ? def.items.map((i) => i.code) : [];
      for (const r of counted) if (r.item !== '_n' && !codes.includes(r.item)) codes.push(r.item);
      const items = codes.map((code) => {
        const item = def?.items.find((i) => i.code === code);
        const mine = counted.filter((r) => r.item === code);
        const noOpinion = mine.filter((r) => r.value === 'na').reduce((s, r) => s + r.count, 0);
        const values = mine
          .filter((r) => r.value !== 'na')
          .map((r) => ({ value: r.value, count: r.count }))
          .sort((a, b) => {
            const na = Number(a.value);
            const nb = Number(b.value);
            if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
            if (item && def) {
              const order = optionsOf(item, def).map((o) => o.code);
              return order.indexOf(a.value) - order.indexOf(b.value);
            }
            return a.value.localeCompare(b.value);
          });
        // Several options of a multiple-choice item count once each: its total is not a number of people.
        const answered = item?.type === 'multiple' ? Number.NaN : values.reduce((s, v) => s + v.count, 0);
        return { code, item, answered, noOpinion, values };
      });
      return { version, responses, flagged, items };
    });
}

export function Results({ code, versions }: { code: string; versions: InstrumentVersion[] }) {
  const { t, i18n } = useTranslation();
  const [channel, setChannel] = useState<SurveyChannel | null>(null);
  const counts = useQuery({
    queryKey: ['response-counts', code, channel],
    queryFn: ({ signal }) =>
      api.get<ResponseCounts>(
        `/api/v1/response-counts?instrument=${encodeURIComponent(code)}${channel ? `&channel=${channel}` : ''}`,
        signal,
      ),
  });
  const grouped = useMemo(() => (counts.data ? group(counts.data.rows, versions) : []), [counts.data, versions]);
  const lang = i18n.language;
  const n = (v: number) => formatNumber(v, lang);

  const valueLabel = (it: InstrumentItem | undefined, def: InstrumentVersion['definition'] | undefined, value: string) => {
    if (value === '*') return t('instruments.results.withText');
    if (!it) return value;
    if (it.type === 'yesno') return value === '1' ? t('common.yes') : value === '0' ? t('common.no') : value;
    if (it.type === 'faces' && ['1', '2', '3', '4'].includes(value))
      return `${value} · ${t(`instruments.preview.faces.${value as '1' | '2' | '3' | '4'}`)}`;
    if ((it.type === 'single' || it.type === 'multiple') && def) {
      const o = optionsOf(it, def).find((x) => x.code === value);
      return o ? lt(o.label, lang) : value;
    }
    return value;
  };

  return (
    <Stack gap="xs" data-testid="results">
      <Group justify="space-between" gap="xs">
        <Title order={2} size="h4">
          {t('instruments.results.title')}
        </Title>
        <Group gap="xs">
          <Select
            size="xs"
            aria-label={t('instruments.results.channel')}
            allowDeselect={false}
            value={channel ?? ALL}
            onChange={(v) => setChannel(!v || v === ALL ? null : (v as SurveyChannel))}
            data={[
              { value: ALL, label: t('instruments.results.allChannels') },
              ...SURVEY_CHANNELS.map((c) => ({ value: c, label: t(`instruments.channel.${c}`) })),
            ]}
            w={180}
          />
          <Button
            size="xs"
            variant="default"
            onClick={() => void counts.refetch()}
            loading={counts.isFetching && !counts.isPending}
          >
            {t('common.refresh')}
          </Button>
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        {t('instruments.results.intro')}
      </Text>
      {counts.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={counts.error} onRetry={() => void counts.refetch()} />
      {counts.data && grouped.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="results-empty">
          {t('instruments.results.empty')}
        </Text>
      )}
      {grouped.map((g) => {
        const def = versions.find((v) => v.version === g.version)?.definition;
        return (
          <Paper key={g.version} withBorder radius="md" p="sm" data-testid="results-version" data-version={g.version}>
            <Group gap="xs" mb="xs">
              <Title order={3} size="h5">
                {t('instruments.versionN', { version: g.version })}
              </Title>
              <Badge variant="light" data-testid="results-responses" data-count={g.responses}>
                {t('instruments.results.responses', { count: g.responses, n: n(g.responses) })}
              </Badge>
              {g.flagged > 0 && (
                <Badge variant="light" color="orange" title={t('instruments.results.flaggedHint')}>
                  {t('instruments.results.flagged', { count: g.flagged, n: n(g.flagged) })}
                </Badge>
              )}
            </Group>
            <Table.ScrollContainer minWidth={640}>
              <Table fz="sm" verticalSpacing={6} striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={150}>{t('instruments.results.item')}</Table.Th>
                    <Table.Th>{t('instruments.results.question')}</Table.Th>
                    <Table.Th ta="right" w={90}>
                      {t('instruments.results.answered')}
                    </Table.Th>
                    <Table.Th ta="right" w={90}>
                      {t('instruments.results.noOpinion')}
                    </Table.Th>
                    <Table.Th>{t('instruments.results.values')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {g.items.map((it) => (
                    <Table.Tr key={it.code} data-testid="results-item" data-item={it.code}>
                      <Table.Td>
                        <Text size="xs" ff="monospace">
                          {it.code}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" lineClamp={2} title={lt(it.item?.label, lang)}>
                          {lt(it.item?.label, lang) || '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">{Number.isNaN(it.answered) ? '—' : n(it.answered)}</Table.Td>
                      <Table.Td ta="right">{it.item?.noOpinion || it.noOpinion ? n(it.noOpinion) : '—'}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {it.values.map((v) => (
                            <Badge key={v.value} size="sm" variant="default" style={{ textTransform: 'none' }}>
                              {valueLabel(it.item, def, v.value)}: {n(v.count)}
                            </Badge>
                          ))}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        );
      })}
    </Stack>
  );
}
