// Interviewer productivity in a round: attempts by outcome, time on calls,
// completes per hour, the median interview and the quality flags.
import { Badge, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../shared/api';
import { formatNumber } from '../../../../shared/format';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ScrollTable } from '../../components/ScrollTable';
import { type Productivity, type RoundDetail, roundKey } from './model';

/** The counts after the name and the flags, in the order of the cells below. */
const COLUMNS = [
  'attempts',
  'completed',
  'partial',
  'refused',
  'noncontact',
  'callbacks',
  'other',
  'completesPerHour',
  'medianLength',
  'callMinutes',
  'days',
  'held',
] as const;

export function InterviewersPanel({ round }: { round: RoundDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const n = (v: number) => formatNumber(v, lang);
  const minutes = (seconds: number | null) =>
    seconds === null ? '—' : t('rounds.interviewers.minutes', { n: formatNumber(Math.round(seconds / 6) / 10, lang) });
  const q = useQuery({
    queryKey: [...roundKey(round.id), 'interviewers'],
    queryFn: ({ signal }) => api.get<Productivity>(`/api/v1/rounds/${round.id}/interviewers`, signal),
  });
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('rounds.interviewers.intro')}
      </Text>
      <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      {q.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      {q.data && (
        <>
          <Text size="sm" data-testid="interviewers-median">
            {q.data.medianSeconds === null
              ? t('rounds.interviewers.noMedian')
              : t('rounds.interviewers.median', { length: minutes(q.data.medianSeconds) })}
          </Text>
          <ScrollTable minWidth={1000} label={t('rounds.tabs.interviewers')}>
            <Table
              striped
              withTableBorder
              verticalSpacing="xs"
              fz="sm"
              data-testid="interviewers-table"
              style={{ fontVariantNumeric: 'tabular-nums' }}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th miw={140}>{t('rounds.interviewers.name')}</Table.Th>
                  <Table.Th fz="xs" fw={500} style={{ verticalAlign: 'bottom' }}>
                    {t('rounds.interviewers.flags')}
                  </Table.Th>
                  {COLUMNS.map((c) => (
                    <Table.Th key={c} ta="right" fz="xs" fw={500} style={{ verticalAlign: 'bottom' }}>
                      {t(`rounds.interviewers.${c}`)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {q.data.interviewers.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={14}>
                      <Text size="sm" c="dimmed">
                        {t('rounds.interviewers.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {q.data.interviewers.map((i) => (
                  <Table.Tr key={i.id} data-testid="interviewer-row" data-id={i.id}>
                    <Table.Td fw={500}>{i.name}</Table.Td>
                    <Table.Td miw={120}>
                      <Group gap={4}>
                        {i.flagged.short > 0 && (
                          <Badge color="red.9" variant="outline" style={{ minWidth: 'max-content' }}>
                            {t('rounds.interviewers.flaggedShort', { count: i.flagged.short })}
                          </Badge>
                        )}
                        {i.flagged.identical > 0 && (
                          <Badge color="red.9" variant="outline" style={{ minWidth: 'max-content' }}>
                            {t('rounds.interviewers.flaggedIdentical', { count: i.flagged.identical })}
                          </Badge>
                        )}
                        {i.flagged.short === 0 && i.flagged.identical === 0 && (
                          <Text size="xs" c="dimmed">
                            {t('rounds.interviewers.noFlags')}
                          </Text>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">{n(i.attempts)}</Table.Td>
                    <Table.Td ta="right" fw={600}>
                      {n(i.completed)}
                    </Table.Td>
                    <Table.Td ta="right">{n(i.partial)}</Table.Td>
                    <Table.Td ta="right">{n(i.refused)}</Table.Td>
                    <Table.Td ta="right">{n(i.noncontact)}</Table.Td>
                    <Table.Td ta="right">{n(i.callbacks)}</Table.Td>
                    <Table.Td ta="right">{n(i.other)}</Table.Td>
                    <Table.Td ta="right">{i.completesPerHour === null ? '—' : formatNumber(i.completesPerHour, lang)}</Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {minutes(i.medianSeconds)}
                    </Table.Td>
                    <Table.Td ta="right">{formatNumber(i.callMinutes, lang)}</Table.Td>
                    <Table.Td ta="right">{n(i.days)}</Table.Td>
                    <Table.Td ta="right">{n(i.held)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          <Text size="xs" c="dimmed">
            {t('rounds.interviewers.flagsHelp')}
          </Text>
        </>
      )}
    </Stack>
  );
}
