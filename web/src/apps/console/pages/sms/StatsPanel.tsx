// Delivery and replies per unit for a month: invitations, sent, delivered,
// failed, why messages were not sent, replies and ratings, with the totals.
import { Code, Group, Loader, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../../shared/api';
import { formatNumber, recentMonths } from '../../../../shared/format';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ScrollTable } from '../../components/ScrollTable';
import { MonthSelect } from '../../components/selects';
import { useSession } from '../../session';
import { useSmsT } from './i18n';
import { type SmsStats, STATS_KEY, type UnitStats } from './model';
import { Figure, rate } from './parts';

const COUNTS = ['invitations', 'sent', 'delivered', 'failed', 'pending', 'replies', 'ratings'] as const;

/** The sums of the units' rows, with the rates and the mean rating worked out again. */
function totals(units: UnitStats[]): UnitStats {
  const sum = (f: (u: UnitStats) => number) => units.reduce((s, u) => s + f(u), 0);
  const t = Object.fromEntries(COUNTS.map((k) => [k, sum((u) => u[k])])) as Record<(typeof COUNTS)[number], number>;
  const rated = sum((u) => (u.meanRating === null ? 0 : u.meanRating * u.ratings));
  return {
    unit: '',
    name: '',
    ...t,
    skipped: {
      optedOut: sum((u) => u.skipped.optedOut),
      landline: sum((u) => u.skipped.landline),
      answered: sum((u) => u.skipped.answered),
      other: sum((u) => u.skipped.other),
    },
    deliveryRate: t.sent ? t.delivered / t.sent : null,
    replyRate: t.invitations && t.sent ? t.replies / t.sent : null,
    meanRating: t.ratings ? rated / t.ratings : null,
  };
}

export function StatsPanel() {
  const { t, tc, lang } = useSmsT();
  const me = useSession();
  const tz = me.tenant.timeZone;
  const [period, setPeriod] = useState(() => recentMonths(1, tz)[0] as string);
  const n = (v: number) => formatNumber(v, lang);
  const stats = useQuery({
    queryKey: [...STATS_KEY, period],
    queryFn: ({ signal }) => api.get<SmsStats>(`/api/v1/sms/stats?period=${period}`, signal),
    staleTime: 5_000,
  });
  const data = stats.data;
  const total = data ? totals(data.units) : null;
  const mean = (v: number | null) =>
    v === null
      ? '—'
      : new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(
          v,
        );
  const fraction = (num: number, den: number) => t('sms.fraction', { numerator: n(num), denominator: n(den) });

  const cells = (u: UnitStats) => (
    <>
      <Table.Td ta="right" data-col="invitations">
        {n(u.invitations)}
      </Table.Td>
      <Table.Td ta="right" data-col="sent">
        {n(u.sent)}
      </Table.Td>
      <Table.Td ta="right" data-col="delivered">
        {n(u.delivered)}
      </Table.Td>
      <Table.Td
        ta="right"
        data-col="deliveryRate"
        title={u.deliveryRate === null ? undefined : fraction(u.delivered, u.sent)}
        style={{ whiteSpace: 'nowrap' }}
      >
        {rate(u.deliveryRate, lang)}
      </Table.Td>
      <Table.Td ta="right" data-col="failed">
        {n(u.failed)}
      </Table.Td>
      <Table.Td ta="right" data-col="pending">
        {n(u.pending)}
      </Table.Td>
      <Table.Td ta="right" data-col="skippedOptedOut">
        {n(u.skipped.optedOut)}
      </Table.Td>
      <Table.Td ta="right" data-col="skippedLandline">
        {n(u.skipped.landline)}
      </Table.Td>
      <Table.Td ta="right" data-col="skippedAnswered">
        {n(u.skipped.answered)}
      </Table.Td>
      <Table.Td ta="right" data-col="skippedOther">
        {n(u.skipped.other)}
      </Table.Td>
      <Table.Td ta="right" data-col="replies">
        {n(u.replies)}
      </Table.Td>
      <Table.Td
        ta="right"
        data-col="replyRate"
        title={u.replyRate === null ? undefined : fraction(u.replies, u.sent)}
        style={{ whiteSpace: 'nowrap' }}
      >
        {rate(u.replyRate, lang)}
      </Table.Td>
      <Table.Td ta="right" data-col="ratings">
        {n(u.ratings)}
      </Table.Td>
      <Table.Td ta="right" data-col="mean">
        {mean(u.meanRating)}
      </Table.Td>
    </>
  );

  return (
    <Stack>
      <Group align="flex-end" gap="sm">
        <MonthSelect
          label={t('sms.stats.month')}
          timeZone={tz}
          value={period}
          onChange={(v) => v && setPeriod(v)}
          w={240}
          data-testid="sms-stats-month"
        />
      </Group>
      <Text size="sm" c="dimmed">
        {t('sms.stats.intro')}
      </Text>
      {stats.isPending && <Loader size="sm" aria-label={tc('app.loading')} />}
      <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />
      {data && total && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            <Figure label={t('sms.stats.figureSent')} value={n(total.sent)} testId="sms-figure-sent" />
            <Figure
              label={t('sms.stats.figureDelivery')}
              value={rate(total.deliveryRate, lang)}
              sub={total.deliveryRate === null ? undefined : fraction(total.delivered, total.sent)}
              testId="sms-figure-delivery"
            />
            <Figure
              label={t('sms.stats.figureReplies')}
              value={rate(total.replyRate, lang)}
              sub={total.replyRate === null ? undefined : fraction(total.replies, total.sent)}
              testId="sms-figure-replies"
            />
            <Figure label={t('sms.stats.optOuts')} value={n(data.optOuts)} testId="sms-figure-optouts" />
          </SimpleGrid>
          <ScrollTable minWidth={1000} label={t('sms.tabs.stats')}>
            <Table striped verticalSpacing="xs" horizontalSpacing={6} fz="sm" data-testid="sms-stats-table" withColumnBorders>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th rowSpan={2} miw={140}>
                    {t('sms.stats.unit')}
                  </Table.Th>
                  <Table.Th rowSpan={2} ta="right">
                    {t('sms.stats.invitations')}
                  </Table.Th>
                  <Table.Th rowSpan={2} ta="right">
                    {t('sms.stats.sent')}
                  </Table.Th>
                  <Table.Th rowSpan={2} ta="right">
                    {t('sms.stats.delivered')}
                  </Table.Th>
                  <Table.Th rowSpan={2} ta="right">
                    {t('sms.stats.deliveryRate')}
                  </Table.Th>
                  <Table.Th rowSpan={2} ta="right">
                    {t('sms.stats.failed')}
                  </Table.Th>
                  <Table.Th rowSpan={2} ta="right">
                    {t('sms.stats.pending')}
                  </Table.Th>
                  <Table.Th colSpan={4} ta="center">
                    {t('sms.stats.skipped')}
                  </Table.Th>
                  <Table.Th rowSpan={2} ta="right">
                    {t('sms.stats.replies')}
                  </Table.Th>
                  <Table.Th rowSpan={2} ta="right">
                    {t('sms.stats.replyRate')}
                  </Table.Th>
                  <Table.Th rowSpan={2} ta="right">
                    {t('sms.stats.ratings')}
                  </Table.Th>
                  <Table.Th rowSpan={2} ta="right">
                    {t('sms.stats.mean')}
                  </Table.Th>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th ta="right">{t('sms.stats.skippedOptedOut')}</Table.Th>
                  <Table.Th ta="right">{t('sms.stats.skippedLandline')}</Table.Th>
                  <Table.Th ta="right">{t('sms.stats.skippedAnswered')}</Table.Th>
                  <Table.Th ta="right">{t('sms.stats.skippedOther')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.units.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={15}>
                      <Text size="sm" c="dimmed">
                        {t('sms.stats.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {data.units.map((u) => (
                  <Table.Tr key={u.unit} data-testid="sms-stats-row" data-unit={u.unit}>
                    <Table.Td miw={140}>
                      <Stack gap={2} align="flex-start">
                        <Text size="sm">{u.name}</Text>
                        <Code>{u.unit}</Code>
                      </Stack>
                    </Table.Td>
                    {cells(u)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
              {data.units.length > 1 && (
                <Table.Tfoot>
                  <Table.Tr data-testid="sms-stats-total" fw={600}>
                    <Table.Td>{t('sms.stats.total')}</Table.Td>
                    {cells(total)}
                  </Table.Tr>
                </Table.Tfoot>
              )}
            </Table>
          </ScrollTable>
        </>
      )}
    </Stack>
  );
}
