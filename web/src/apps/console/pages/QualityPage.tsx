import { Badge, Button, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { formatInstantDate, formatNumber, formatPercent, previousMonth } from '../../../shared/format';
import type { QualityRow } from '../../../shared/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { MonthSelect } from '../components/selects';
import { useSession } from '../session';

const QUALITY_KEY = ['quality'] as const;
/** Rates under this are shown in red. */
const GOOD_RATE = 0.8;

const exportUrl = (period: string, format: 'csv' | 'xlsx') =>
  `/api/v1/data-quality?period=${encodeURIComponent(period)}&format=${format}`;

export function QualityPage() {
  const { t } = useTranslation();
  const me = useSession();
  const tz = me.tenant.timeZone;
  const [period, setPeriod] = useState(() => previousMonth(tz));
  const rows = useQuery({
    queryKey: [...QUALITY_KEY, period],
    queryFn: ({ signal }) => api.get<QualityRow[]>(`/api/v1/data-quality?period=${encodeURIComponent(period)}`, signal),
  });

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('quality.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('quality.intro')}
      </Text>
      <Group justify="space-between" align="flex-end" gap="sm">
        <MonthSelect
          label={t('quality.month')}
          timeZone={tz}
          value={period}
          onChange={(v) => v && setPeriod(v)}
          w={240}
          data-testid="quality-month"
        />
        {/* Plain links: the browser downloads with the session cookie, no script involved. */}
        <Group gap="xs">
          <Button component="a" href={exportUrl(period, 'csv')} download variant="default" data-testid="quality-csv">
            {t('quality.downloadCsv')}
          </Button>
          <Button component="a" href={exportUrl(period, 'xlsx')} download variant="default" data-testid="quality-xlsx">
            {t('quality.downloadXlsx')}
          </Button>
        </Group>
      </Group>

      {rows.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={rows.error} onRetry={() => void rows.refetch()} />

      {rows.data && (
        <Table.ScrollContainer minWidth={980}>
          <Table striped verticalSpacing="xs" fz="sm" data-testid="quality-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('quality.unit')}</Table.Th>
                <Table.Th ta="right">{t('quality.records')}</Table.Th>
                <Table.Th ta="right">{t('quality.validMobileRate')}</Table.Th>
                <Table.Th ta="right">{t('quality.withNameRate')}</Table.Th>
                <Table.Th ta="right">{t('quality.withReturnDateRate')}</Table.Th>
                <Table.Th ta="right">{t('quality.eligible')}</Table.Th>
                <Table.Th>{t('quality.listReceivedAt')}</Table.Th>
                <Table.Th>{t('quality.listDueAt')}</Table.Th>
                <Table.Th>{t('quality.onTime')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={9}>
                    <Text c="dimmed" size="sm">
                      {t('quality.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {rows.data.map((r) => (
                <QualityTableRow key={r.unit} row={r} timeZone={tz} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function QualityTableRow({ row: r, timeZone }: { row: QualityRow; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const n = (v: number) => formatNumber(v, lang);
  // listDueAt is the end of the due day: the day itself is the one before that instant.
  const dueDay = formatInstantDate(new Date(Date.parse(r.listDueAt) - 1).toISOString(), lang, timeZone);
  return (
    <Table.Tr data-testid="quality-row" data-unit={r.unit}>
      <Table.Td style={{ minWidth: 220 }}>
        <Text size="sm">{r.unitName}</Text>
        <Code>{r.unit}</Code>
      </Table.Td>
      <Table.Td ta="right">{n(r.records)}</Table.Td>
      <RateCell rate={r.validMobileRate} count={r.validMobile} of={r.records} />
      <RateCell rate={r.withNameRate} count={r.withName} of={r.records} />
      <RateCell rate={r.withReturnDateRate} count={r.withReturnDate} of={r.records} />
      <Table.Td ta="right">{n(r.eligible)}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {r.listReceivedAt ? (
          formatInstantDate(r.listReceivedAt, lang, timeZone)
        ) : (
          <Text span size="sm" c="dimmed">
            {t('quality.notReceived')}
          </Text>
        )}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{dueDay}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Badge
          color={r.onTime === null ? 'gray' : r.onTime ? 'green' : 'red'}
          variant="light"
          data-testid="quality-on-time"
          style={{ minWidth: 'max-content' }}
        >
          {r.onTime === null ? t('quality.notDue') : r.onTime ? t('quality.onTimeYes') : t('quality.onTimeNo')}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}

function RateCell({ rate, count, of }: { rate: number | null; count: number; of: number }) {
  const { t, i18n } = useTranslation();
  if (rate === null) {
    return (
      <Table.Td ta="right" c="dimmed">
        {t('common.none')}
      </Table.Td>
    );
  }
  const poor = rate < GOOD_RATE;
  return (
    <Table.Td
      ta="right"
      c={poor ? 'red.8' : undefined}
      fw={poor ? 600 : undefined}
      title={`${formatNumber(count, i18n.language)} / ${formatNumber(of, i18n.language)}`}
      data-poor={poor ? 'true' : undefined}
      style={{ whiteSpace: 'nowrap' }}
    >
      {formatPercent(rate, i18n.language)}
    </Table.Td>
  );
}
