// One unit's scorecard: every index of its sector beside the province, the
// trend of one index against the province, and the reasons chosen most often.
import { Anchor, Card, Group, Loader, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { previousMonth } from '../../../shared/format';
import type { Unit } from '../../../shared/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { linkHandler, useLocation } from '../router';
import { useSession } from '../session';
import {
  formatScore,
  type IndexSummary,
  nameOf,
  type PeriodKind,
  periodKindOf,
  type ScoreRow,
  type Trend,
  trendRange,
  useIndices,
} from './scores/model';
import { BandBadge, Change, type Filters, ScoreFilters, Value } from './scores/parts';
import { TrendChart } from './scores/TrendChart';

const pick = (rows: ScoreRow[] | undefined) => ({
  own: rows?.find((r) => r.level === 'unit'),
  province: rows?.find((r) => r.level === 'province'),
});

function UnitCell({ row, index, failed }: { row: ScoreRow | undefined; index: IndexSummary; failed: boolean }) {
  const { t } = useTranslation();
  if (row)
    return (
      <Stack gap={2}>
        <Value row={row} display={index.display} />
        <Text size="xs" c="dimmed">
          n = {row.n}
          {row.rank !== null ? ` · ${t('scores.rankLabel', { rank: row.rank })}` : ''}
        </Text>
        <Change row={row} display={index.display} higherIsBetter={index.higherIsBetter} />
      </Stack>
    );
  if (failed)
    return (
      <Text size="xs" c="red.9">
        {t('scores.loadFailed')}
      </Text>
    );
  return <Loader size="xs" aria-label={t('app.loading')} />;
}

type Reason = {
  instrument: string;
  item: string;
  itemLabel: Record<string, string>;
  value: string;
  label: Record<string, string>;
  count: number;
};

export function ScorecardPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const me = useSession();
  const tz = me.tenant.timeZone;
  const { search } = useLocation();
  const code = search.get('code') ?? '';
  const startPeriod = search.get('period') ?? previousMonth(tz);
  const [f, setF] = useState<Filters>(() => ({
    index: search.get('index') ?? 'MSCORE_SATISFACTION',
    kind: (search.get('kind') as PeriodKind | null) ?? periodKindOf(startPeriod),
    period: startPeriod,
    channel: null,
  }));
  const unit = useQuery({
    queryKey: ['unit', code],
    queryFn: ({ signal }) => api.get<Unit>(`/api/v1/units/${encodeURIComponent(code)}`, signal),
    enabled: Boolean(code),
  });
  const indices = useIndices();
  const sector = unit.data?.sector ?? (unit.data?.kind === 'commune' ? 'administration' : null);
  const mine = (indices.data ?? []).filter((x) => x.sector === null || x.sector === sector);
  const cells = useQueries({
    queries: mine.map((x) => ({
      queryKey: ['scores', x.code, f.period, code],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<ScoreRow[]>(
          `/api/v1/scores?index=${x.code}&period=${f.period}&unit=${encodeURIComponent(code)}&include=province`,
          signal,
        ),
      enabled: Boolean(unit.data),
    })),
  });
  const headline = sector === 'health' ? 'MOH_SATISFACTION' : 'MSCORE_SATISFACTION';
  const trendIndex = mine.find((x) => x.code === f.index) ?? mine.find((x) => x.code === headline) ?? mine[0];
  const range = trendRange(f.period, f.kind);
  const trendUrl = (u?: string) =>
    `/api/v1/scores/trend?index=${trendIndex?.code}&from=${range.from}&to=${range.to}&step=${f.kind}${u ? `&unit=${encodeURIComponent(u)}` : ''}${sector ? `&sector=${sector}` : ''}`;
  const trends = useQueries({
    queries: [code, undefined].map((u) => ({
      queryKey: ['trend', trendIndex?.code, f.kind, range, u ?? '', sector],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Trend>(trendUrl(u), signal),
      enabled: Boolean(trendIndex && unit.data),
    })),
  });
  const reasons = useQuery({
    queryKey: ['reasons', code, f.period],
    queryFn: ({ signal }) =>
      api.get<Reason[]>(`/api/v1/scores/reasons?unit=${encodeURIComponent(code)}&period=${f.period}`, signal),
    enabled: Boolean(unit.data),
  });

  if (!code) return <Text>{t('scores.noUnit')}</Text>;
  const [unitTrend, provinceTrend] = trends.map((x) => x.data);
  const topReason = reasons.data?.[0]?.count ?? 1;

  return (
    <Stack>
      <Anchor href="/scores" onClick={linkHandler('/scores')} size="sm">
        ← {t('scores.backToOverview')}
      </Anchor>
      <ErrorAlert error={unit.error} onRetry={() => void unit.refetch()} />
      <Title order={1} size="h2" data-testid="scorecard-title">
        {unit.data?.name ?? code}
      </Title>
      {indices.data && <ScoreFilters indices={mine} value={f} onChange={setF} timeZone={tz} showIndex={false} />}
      {(unit.isPending || indices.isPending) && <Loader size="sm" aria-label={t('app.loading')} />}

      {unit.data && (
        <>
          <Table.ScrollContainer minWidth={640} visibleFrom="sm">
            <Table verticalSpacing="xs" fz="sm" striped data-testid="scorecard-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('scores.index')}</Table.Th>
                  <Table.Th>{t('scores.thisUnit')}</Table.Th>
                  <Table.Th>{t('scores.province')}</Table.Th>
                  <Table.Th>{t('scores.bandHeader')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {mine.map((x, i) => {
                  const { own, province } = pick(cells[i]?.data);
                  return (
                    <Table.Tr key={x.code} data-testid="scorecard-row" data-index={x.code}>
                      <Table.Td style={{ minWidth: 200 }}>
                        <Anchor component="button" size="sm" onClick={() => setF({ ...f, index: x.code })} ta="left">
                          {nameOf(x, lang)}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <UnitCell row={own} index={x} failed={Boolean(cells[i]?.error)} />
                      </Table.Td>
                      <Table.Td>{province && <Value row={province} display={x.display} />}</Table.Td>
                      <Table.Td>
                        <BandBadge band={own?.band ?? null} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Stack gap="xs" hiddenFrom="sm" data-testid="scorecard-cards">
            {mine.map((x, i) => {
              const { own, province } = pick(cells[i]?.data);
              return (
                <Card key={x.code} withBorder padding="sm" data-testid="scorecard-card" data-index={x.code}>
                  <Text size="sm" fw={600}>
                    {nameOf(x, lang)}
                  </Text>
                  <Group justify="space-between" align="flex-start" mt={4} wrap="nowrap">
                    <UnitCell row={own} index={x} failed={Boolean(cells[i]?.error)} />
                    <BandBadge band={own?.band ?? null} />
                  </Group>
                  {province && (
                    <Text size="xs" c="dimmed" mt={4}>
                      {t('scores.province')}: {province.value === null ? '—' : formatScore(province.value, x.display, lang)}
                    </Text>
                  )}
                </Card>
              );
            })}
          </Stack>

          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Text size="sm" c="dimmed" mb="xs">
                {trendIndex ? nameOf(trendIndex, lang) : ''} · {t(`scores.trendTitle.${f.kind}`)}
              </Text>
              {trendIndex && unitTrend && provinceTrend ? (
                <TrendChart
                  title={`${nameOf(trendIndex, lang)}: ${unit.data.name}`}
                  display={trendIndex.display}
                  series={[
                    { label: unit.data.name, points: unitTrend.points, color: '#1864ab' },
                    { label: t('scores.province'), points: provinceTrend.points, color: '#868e96', dashed: true },
                  ]}
                />
              ) : (
                <Loader size="sm" aria-label={t('app.loading')} />
              )}
            </Card>
            <Card withBorder data-testid="reasons">
              <Text size="sm" c="dimmed" mb="xs">
                {t('scores.reasons')}
              </Text>
              <ErrorAlert error={reasons.error} onRetry={() => void reasons.refetch()} />
              {reasons.data && reasons.data.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('scores.noReasons')}
                </Text>
              )}
              <Stack gap={6}>
                {reasons.data?.slice(0, 8).map((r) => (
                  <div key={`${r.instrument}:${r.item}:${r.value}`} data-testid="reason">
                    <Group justify="space-between" gap="xs" wrap="nowrap">
                      <Text size="sm">{r.label[lang] ?? r.label.vi}</Text>
                      <Text size="sm" fw={600}>
                        {r.count}
                      </Text>
                    </Group>
                    <Progress value={(100 * r.count) / topReason} size="sm" aria-hidden="true" />
                  </div>
                ))}
              </Stack>
            </Card>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
