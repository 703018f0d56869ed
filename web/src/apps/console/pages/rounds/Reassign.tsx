// Moving open records between interviewers, or back to the pool: the selected
// records of the table, or every open record of one interviewer.
import { Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../shared/api';
import { formatNumber } from '../../../../shared/format';
import { ErrorAlert } from '../../components/ErrorAlert';
import { queryClient } from '../../session';
import { type Interviewer, ROUNDS_KEY } from './model';

/** Select value standing for the pool (no interviewer). */
export const POOL = '__pool__';
const toId = (v: string | null) => (v === null || v === POOL ? null : v);

export function useInterviewers(enabled: boolean) {
  return useQuery({
    queryKey: ['interviewers'],
    queryFn: ({ signal }) => api.get<Interviewer[]>('/api/v1/interviewers', signal),
    enabled,
  });
}

export function useInterviewerOptions(list: Interviewer[] | undefined) {
  const { t } = useTranslation();
  return [
    { value: POOL, label: t('rounds.reassign.pool') },
    ...(list ?? []).map((i) => ({ value: i.id, label: i.name === i.username ? i.name : `${i.name} (${i.username})` })),
  ];
}

type Body = { records?: string[]; from?: string | null; to: string | null };

export function useReassign(roundId: string, onDone?: (moved: number) => void) {
  return useMutation({
    mutationFn: (body: Body) => api.post<{ moved: number }>(`/api/v1/rounds/${roundId}/reassign`, body),
    onSuccess: (r) => {
      // records, productivity and progress all change
      void queryClient.invalidateQueries({ queryKey: ROUNDS_KEY });
      onDone?.(r.moved);
    },
  });
}

/** The selected records of the table, to one interviewer or back to the pool. */
export function MoveSelected({ roundId, ids, onDone }: { roundId: string; ids: string[]; onDone: (moved: number) => void }) {
  const { t, i18n } = useTranslation();
  const interviewers = useInterviewers(true);
  const options = useInterviewerOptions(interviewers.data);
  const [to, setTo] = useState<string | null>(null);
  const move = useReassign(roundId, (moved) => {
    setTo(null);
    onDone(moved);
  });
  return (
    <Paper withBorder p="sm" radius="md" bg="blue.0" data-testid="move-selected">
      <Stack gap="xs">
        <Group align="flex-end" gap="sm">
          <Text size="sm" fw={600} style={{ alignSelf: 'center' }}>
            {t('rounds.reassign.selected', { count: ids.length, n: formatNumber(ids.length, i18n.language) })}
          </Text>
          <Select
            label={t('rounds.reassign.to')}
            data={options}
            value={to}
            onChange={setTo}
            searchable
            placeholder={t('rounds.reassign.pick')}
            w={300}
            data-testid="move-selected-to"
          />
          <Button
            disabled={to === null || ids.length === 0}
            loading={move.isPending}
            onClick={() => move.mutate({ records: ids, to: toId(to) })}
            data-testid="move-selected-button"
          >
            {t('rounds.reassign.move')}
          </Button>
        </Group>
        <ErrorAlert error={interviewers.error ?? move.error} />
      </Stack>
    </Paper>
  );
}

/** Every open record of one interviewer (or of the pool) to another. */
export function MoveAll({ roundId, onDone }: { roundId: string; onDone: (moved: number) => void }) {
  const { t } = useTranslation();
  const interviewers = useInterviewers(true);
  const options = useInterviewerOptions(interviewers.data);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const move = useReassign(roundId, (moved) => {
    setFrom(null);
    setTo(null);
    onDone(moved);
  });
  return (
    <Paper withBorder p="sm" radius="md" data-testid="move-all">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('rounds.reassign.allTitle')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('rounds.reassign.allHelp')}
        </Text>
        <Group align="flex-end" gap="sm">
          <Select
            label={t('rounds.reassign.from')}
            data={options}
            value={from}
            onChange={setFrom}
            searchable
            placeholder={t('rounds.reassign.pick')}
            w={300}
            data-testid="move-all-from"
          />
          <Select
            label={t('rounds.reassign.to')}
            data={options}
            value={to}
            onChange={setTo}
            searchable
            placeholder={t('rounds.reassign.pick')}
            w={300}
            data-testid="move-all-to"
          />
          <Button
            variant="light"
            disabled={from === null || to === null || from === to}
            loading={move.isPending}
            onClick={() => move.mutate({ from: toId(from), to: toId(to) })}
            data-testid="move-all-button"
          >
            {t('rounds.reassign.moveAll')}
          </Button>
        </Group>
        <ErrorAlert error={interviewers.error ?? move.error} />
      </Stack>
    </Paper>
  );
}
