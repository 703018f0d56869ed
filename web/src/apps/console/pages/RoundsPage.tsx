// Phone interviews: sampling rounds (newest first) and a new round; with ?id=,
// one round with its plan, progress, interviewers and records.
import { Anchor, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { formatDateTime, formatNumber } from '../../../shared/format';
import { ErrorAlert } from '../components/ErrorAlert';
import { ScrollTable } from '../components/ScrollTable';
import { linkHandler, navigate, useLocation } from '../router';
import { canEverywhere, useSession } from '../session';
import { ROUNDS_KEY, type RoundSummary, roundHref } from './rounds/model';
import { RoundStatusBadge, useMonths } from './rounds/parts';
import { RoundDetailView } from './rounds/RoundDetail';
import { RoundFormModal } from './rounds/RoundForm';

export function RoundsPage() {
  const { search } = useLocation();
  const id = search.get('id');
  if (id) return <RoundDetailView key={id} id={id} />;
  return <RoundList />;
}

function RoundList() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const lang = i18n.language;
  const n = (v: number) => formatNumber(v, lang);
  const months = useMonths();
  const canManage = canEverywhere(me, 'rounds.manage');
  const [creating, setCreating] = useState(false);
  const rounds = useQuery({
    queryKey: ROUNDS_KEY,
    queryFn: ({ signal }) => api.get<RoundSummary[]>('/api/v1/rounds', signal),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('rounds.title')}
        </Title>
        {canManage && (
          <Button onClick={() => setCreating(true)} data-testid="round-new">
            {t('rounds.new')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('rounds.intro')}
      </Text>
      {rounds.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={rounds.error} onRetry={() => void rounds.refetch()} />
      {rounds.data && (
        <ScrollTable minWidth={860} label={t('rounds.title')}>
          <Table striped highlightOnHover verticalSpacing="xs" fz="sm" data-testid="rounds-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('rounds.list.name')}</Table.Th>
                <Table.Th>{t('rounds.list.months')}</Table.Th>
                <Table.Th>{t('rounds.list.status')}</Table.Th>
                <Table.Th ta="right">{t('rounds.list.sampled')}</Table.Th>
                <Table.Th ta="right">{t('rounds.list.completed')}</Table.Th>
                <Table.Th ta="right">{t('rounds.list.open')}</Table.Th>
                <Table.Th>{t('rounds.list.created')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rounds.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text size="sm" c="dimmed">
                      {canManage ? t('rounds.list.emptyManage') : t('rounds.list.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {rounds.data.map((r) => (
                <Table.Tr key={r.id} data-testid="round-row" data-id={r.id}>
                  <Table.Td>
                    <Anchor href={roundHref(r.id)} onClick={linkHandler(roundHref(r.id))} size="sm" fw={500}>
                      {r.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{months(r.periodFrom, r.periodTo)}</Table.Td>
                  <Table.Td>
                    <RoundStatusBadge status={r.status} />
                  </Table.Td>
                  <Table.Td ta="right">{r.status === 'draft' ? '—' : n(r.sampled)}</Table.Td>
                  <Table.Td ta="right">{r.status === 'draft' ? '—' : n(r.completed)}</Table.Td>
                  <Table.Td ta="right">{r.status === 'draft' ? '—' : n(r.open)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.createdAt, lang, me.tenant.timeZone)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <RoundFormModal
        opened={creating}
        round={null}
        onClose={() => setCreating(false)}
        onSaved={(r) => {
          setCreating(false);
          navigate(roundHref(r.id));
        }}
      />
    </Stack>
  );
}
