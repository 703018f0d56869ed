// Province overview: one index for a period with its interval and n, the
// rankings (table on wide screens, cards on phones), the trend and the alerts.
import { Anchor, Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { previousMonth } from '../../../shared/format';
import { ErrorAlert } from '../components/ErrorAlert';
import { linkHandler } from '../router';
import { useSession } from '../session';
import {
  type Alert,
  formatScore,
  type IndexSummary,
  nameOf,
  type ScoreRow,
  type Trend,
  trendRange,
  useIndices,
} from './scores/model';
import { BandBadge, Change, type Filters, ScoreFilters, Value } from './scores/parts';
import { TrendChart } from './scores/TrendChart';

export const scoresQuery = (f: Filters, extra = '', sector?: string | null) =>
  `index=${encodeURIComponent(f.index)}&period=${encodeURIComponent(f.period)}${f.channel ? `&channel=${f.channel}` : ''}${sector ? `&sector=${sector}` : ''}${extra}`;

export const unitLink = (unit: string, f: Filters) =>
  `/scores/unit?code=${encodeURIComponent(unit)}&period=${encodeURIComponent(f.period)}&kind=${f.kind}&index=${f.index}`;

export function ScoresPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const tz = me.tenant.timeZone;
  const [f, setF] = useState<Filters>(() => ({
    index: 'MSCORE_SATISFACTION',
    kind: 'month',
    period: previousMonth(tz),
    channel: null,
  }));
  const indices = useIndices();
  const index = indices.data?.find((x) => x.code === f.index);
  // Indices of no sector (kiosk, SMS) compare the units of one sector at a time.
  const chosenSector = index && index.sector === null ? (f.sector ?? 'administration') : null;
  const scores = useQuery({
    queryKey: ['scores', f],
    queryFn: ({ signal }) => api.get<ScoreRow[]>(`/api/v1/scores?${scoresQuery(f, '&include=province', chosenSector)}`, signal),
    enabled: Boolean(index),
  });
  const range = trendRange(f.period, f.kind);
  const trend = useQuery({
    queryKey: ['trend', f.index, f.channel, f.kind, range, chosenSector],
    queryFn: ({ signal }) =>
      api.get<Trend>(
        `/api/v1/scores/trend?index=${f.index}&from=${range.from}&to=${range.to}&step=${f.kind}${f.channel ? `&channel=${f.channel}` : ''}${chosenSector ? `&sector=${chosenSector}` : ''}`,
        signal,
      ),
    enabled: Boolean(index),
  });
  const sector = index?.sector ?? chosenSector ?? 'administration';
  const alerts = useQuery({
    queryKey: ['alerts', f.period, sector],
    queryFn: ({ signal }) => api.get<Alert[]>(`/api/v1/alerts?period=${f.period}&sector=${sector}`, signal),
  });
  const exportUrl = (format: 'csv' | 'xlsx') =>
    `/api/v1/scores?${scoresQuery(f, `&include=province&format=${format}`, chosenSector)}`;
  const [province, ...units] = scores.data ?? [];

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('scores.title')}
      </Title>
      <ErrorAlert error={indices.error} onRetry={() => void indices.refetch()} />
      {indices.data && <ScoreFilters indices={indices.data} value={f} onChange={setF} timeZone={tz} />}
      {index && (
        <Text size="sm" c="dimmed">
          {t('scores.rules')}
        </Text>
      )}
      {(scores.isPending || indices.isPending) && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={scores.error} onRetry={() => void scores.refetch()} />

      {index && province && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder data-testid="province-card">
            <Text size="sm" c="dimmed">
              {province.unitName} · {nameOf(index, i18n.language)}
            </Text>
            <Group justify="space-between" align="flex-end" mt="xs">
              <Value row={province} display={index.display} />
              <Text size="sm">n = {province.n.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'vi-VN')}</Text>
            </Group>
            <Change row={province} display={index.display} higherIsBetter={index.higherIsBetter} />
            {province.excluded > 0 && (
              <Text size="xs" c="dimmed" mt={4}>
                {t('scores.excluded', { count: province.excluded })}
              </Text>
            )}
          </Card>
          <Card withBorder>
            <Text size="sm" c="dimmed" mb="xs">
              {t(`scores.trendTitle.${f.kind}`)}
            </Text>
            {trend.data ? (
              <TrendChart
                title={`${nameOf(index, i18n.language)}: ${province.unitName}`}
                display={index.display}
                series={[{ label: province.unitName, points: trend.data.points, color: '#1864ab' }]}
              />
            ) : (
              <Loader size="sm" aria-label={t('app.loading')} />
            )}
          </Card>
        </SimpleGrid>
      )}

      {index && scores.data && (
        <>
          <Group justify="space-between" align="flex-end">
            <Title order={2} size="h3">
              {t('scores.rankings')}
            </Title>
            <Group gap="xs">
              <Button component="a" href={exportUrl('csv')} download variant="default" size="xs" data-testid="scores-csv">
                {t('quality.downloadCsv')}
              </Button>
              <Button component="a" href={exportUrl('xlsx')} download variant="default" size="xs" data-testid="scores-xlsx">
                {t('quality.downloadXlsx')}
              </Button>
            </Group>
          </Group>
          <Rankings rows={units} index={index} filters={f} />
        </>
      )}

      <Title order={2} size="h3">
        {t('scores.alerts.title')}
      </Title>
      <ErrorAlert error={alerts.error} onRetry={() => void alerts.refetch()} />
      {alerts.data && <AlertList alerts={alerts.data} indices={indices.data ?? []} />}
    </Stack>
  );
}

function Rankings({ rows, index, filters }: { rows: ScoreRow[]; index: IndexSummary; filters: Filters }) {
  const { t } = useTranslation();
  const rank = (r: ScoreRow) => (r.rank === null ? '—' : String(r.rank));
  const unitCell = (r: ScoreRow) => (
    <Anchor href={unitLink(r.unit, filters)} onClick={linkHandler(unitLink(r.unit, filters))} size="sm">
      {r.unitName}
    </Anchor>
  );
  return (
    <>
      <Table.ScrollContainer minWidth={760} visibleFrom="sm">
        <Table striped verticalSpacing="xs" fz="sm" data-testid="rankings-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('scores.rank')}</Table.Th>
              <Table.Th>{t('quality.unit')}</Table.Th>
              <Table.Th>{t('scores.value')}</Table.Th>
              <Table.Th ta="right">n</Table.Th>
              <Table.Th>{t('scores.bandHeader')}</Table.Th>
              <Table.Th>{t('scores.change')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.unit} data-testid="ranking-row" data-unit={r.unit}>
                <Table.Td fw={700}>{rank(r)}</Table.Td>
                <Table.Td style={{ minWidth: 220 }}>{unitCell(r)}</Table.Td>
                <Table.Td>
                  <Value row={r} display={index.display} />
                </Table.Td>
                <Table.Td ta="right">{r.n}</Table.Td>
                <Table.Td>
                  <BandBadge band={r.band} />
                </Table.Td>
                <Table.Td>
                  <Change row={r} display={index.display} higherIsBetter={index.higherIsBetter} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack gap="xs" hiddenFrom="sm" data-testid="rankings-cards">
        {rows.map((r) => (
          <Card key={r.unit} withBorder padding="sm" data-testid="ranking-card" data-unit={r.unit}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2} style={{ minWidth: 0 }}>
                {unitCell(r)}
                <Text size="xs" c="dimmed">
                  n = {r.n}
                </Text>
              </Stack>
              <Badge variant="outline" size="lg" aria-label={t('scores.rankLabel', { rank: rank(r) })}>
                {rank(r)}
              </Badge>
            </Group>
            <Group justify="space-between" mt={6} align="flex-end">
              <Value row={r} display={index.display} />
              <BandBadge band={r.band} />
            </Group>
            <Change row={r} display={index.display} higherIsBetter={index.higherIsBetter} />
          </Card>
        ))}
      </Stack>
    </>
  );
}

const ALERT_KEY = {
  significant_drop: 'significantDrop',
  paid_without_receipt: 'paidWithoutReceipt',
  kiosk_phone_gap: 'kioskPhoneGap',
  small_sample: 'smallSample',
} as const;

function AlertList({ alerts, indices }: { alerts: Alert[]; indices: IndexSummary[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  // Numbers in the evidence shown as the index shows them; the index by its name.
  const shown = (a: Alert) => {
    const index = indices.find((x) => x.code === a.index);
    const out: Record<string, unknown> = { ...a.evidence, index: index ? nameOf(index, lang) : (a.index ?? '') };
    if (index && a.kind === 'significant_drop')
      for (const k of ['value', 'previousValue'] as const) out[k] = formatScore(a.evidence[k] as number, index.display, lang);
    return out;
  };
  // The evidence's fields are the message's placeholders.
  const interpolate = t as unknown as (key: string, values: Record<string, unknown>) => string;
  if (!alerts.length)
    return (
      <Text size="sm" c="dimmed" data-testid="alerts-empty">
        {t('scores.alerts.none')}
      </Text>
    );
  return (
    <Stack gap="xs" data-testid="alerts">
      {alerts.map((a) => (
        <Card key={`${a.kind}:${a.unit}:${a.index}`} withBorder padding="sm" data-testid="alert" data-kind={a.kind}>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Badge color={a.severity === 'high' ? 'red.9' : 'gray.8'} variant="outline" style={{ minWidth: 'max-content' }}>
              {t(`scores.alerts.severity.${a.severity}`)}
            </Badge>
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                {a.unitName}
              </Text>
              <Text size="sm">{interpolate(`scores.alerts.kind.${ALERT_KEY[a.kind]}`, shown(a))}</Text>
            </Stack>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
