import { Alert, Badge, Button, Container, Group, Kbd, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { formatInstant } from '../../shared/format';
import type { Me } from '../../shared/types';
import type { Saved } from './App';
import { ErrorAlert, isTyping, plainKey } from './components';
import { useT } from './i18n';
import type { CallView, NextResult } from './model';
import { interviews, MINE_KEY } from './session';
import { CALLING_HOURS } from './time';

export function QueueScreen({ me, saved, onOpen }: { me: Me; saved: Saved | null; onOpen: (record: CallView) => void }) {
  const { t, lang } = useT();
  const zone = me.tenant.timeZone;
  const [reason, setReason] = useState<NextResult['reason']>(null);
  const nextButton = useRef<HTMLButtonElement>(null);

  const mine = useQuery({ queryKey: MINE_KEY, queryFn: ({ signal }) => interviews.mine(signal), refetchInterval: 60_000 });
  const next = useMutation({
    mutationFn: interviews.next,
    onSuccess: (r) => {
      setReason(r.reason);
      if (r.record) onOpen(r.record);
      else void mine.refetch();
    },
  });
  const openHeld = useMutation({ mutationFn: (id: string) => interviews.get(id), onSuccess: onOpen });

  const takeNext = () => {
    if (!next.isPending) next.mutate();
  };
  const takeNextRef = useRef(takeNext);
  takeNextRef.current = takeNext;

  useEffect(() => {
    nextButton.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat || !plainKey(e) || isTyping(e.target) || e.key.toLowerCase() !== 'n') return;
      e.preventDefault();
      takeNextRef.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const hours = { from: `${String(CALLING_HOURS.from).padStart(2, '0')}:00`, to: `${CALLING_HOURS.to}:00` };
  const held = mine.data?.held ?? [];

  return (
    <Container size="md" px={0}>
      <Stack gap="md">
        <Title order={1} size="h2">
          {t('queue.title')}
        </Title>

        <div role="status" aria-live="polite">
          {saved && (
            <Alert
              color="green"
              variant="light"
              title={t('queue.saved', { outcome: t(`outcome.${saved.outcome}`) })}
              data-testid="saved"
            >
              {saved.result.nextAt
                ? t('queue.savedNext', {
                    status: t(`status.${statusKey(saved.result.status)}`),
                    at: formatInstant(saved.result.nextAt, lang, zone),
                  })
                : t('queue.savedStatus', { status: t(`status.${statusKey(saved.result.status)}`) })}
            </Alert>
          )}
        </div>

        <SimpleGrid cols={{ base: 2 }} spacing="sm" data-testid="today">
          <Paper withBorder p="sm">
            <Text size="sm" c="dimmed">
              {t('queue.todayAttempts')}
            </Text>
            <Text fz={28} fw={700} data-testid="today-attempts">
              {mine.data ? mine.data.today.attempts : '–'}
            </Text>
          </Paper>
          <Paper withBorder p="sm">
            <Text size="sm" c="dimmed">
              {t('queue.todayCompleted')}
            </Text>
            <Text fz={28} fw={700} data-testid="today-completed">
              {mine.data ? mine.data.today.completed : '–'}
            </Text>
          </Paper>
        </SimpleGrid>

        <Paper withBorder p="md" bg="var(--mantine-color-blue-0)">
          <Stack gap="xs" align="stretch">
            <Button
              ref={nextButton}
              size="xl"
              onClick={takeNext}
              loading={next.isPending}
              aria-keyshortcuts="N"
              rightSection={<Kbd aria-hidden="true">N</Kbd>}
              data-testid="next-call"
            >
              {t('queue.next')}
            </Button>
            <Text size="sm" c="dimmed" ta="center">
              {t('queue.hours', hours)}
            </Text>
          </Stack>
        </Paper>

        <div role="status" aria-live="polite">
          {reason === 'outside_calling_hours' && (
            <Alert color="orange" variant="light" title={t('queue.outsideTitle')} data-testid="queue-outside">
              {t('queue.outsideBody', hours)}
            </Alert>
          )}
          {reason === 'empty' && (
            <Alert color="gray" variant="light" title={t('queue.emptyTitle')} data-testid="queue-empty">
              {t('queue.emptyBody')}
            </Alert>
          )}
        </div>
        <ErrorAlert error={next.error ?? openHeld.error} />

        <section aria-labelledby="held-title">
          <Title order={2} size="h4" id="held-title" mb="xs">
            {t('queue.held')}
          </Title>
          <ErrorAlert error={mine.error} onRetry={() => void mine.refetch()} />
          {mine.data && held.length === 0 && (
            <Text c="dimmed" size="sm" data-testid="held-none">
              {t('queue.heldNone')}
            </Text>
          )}
          {held.length > 0 && (
            <Table.ScrollContainer minWidth={520}>
              <Table striped verticalSpacing="xs" data-testid="held">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('queue.unit')}</Table.Th>
                    <Table.Th>{t('queue.status')}</Table.Th>
                    <Table.Th>{t('queue.nextAt')}</Table.Th>
                    <Table.Th>{t('queue.attempts')}</Table.Th>
                    <Table.Th>
                      <span className="visually-hidden">{t('queue.actions')}</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {held.map((h) => (
                    <Table.Tr key={h.id} data-testid="held-row">
                      <Table.Td>{h.unit}</Table.Td>
                      <Table.Td>
                        <Badge color={h.status === 'callback' ? 'violet' : 'gray'} variant="light">
                          {t(`status.${statusKey(h.status)}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{h.nextAt ? formatInstant(h.nextAt, lang, zone) : t('queue.now')}</Table.Td>
                      <Table.Td>{h.attempts}</Table.Td>
                      <Table.Td>
                        <Group justify="flex-end">
                          <Button
                            size="xs"
                            variant="light"
                            onClick={() => openHeld.mutate(h.id)}
                            loading={openHeld.isPending && openHeld.variables === h.id}
                            aria-label={t('queue.openLabel', { unit: h.unit, status: t(`status.${statusKey(h.status)}`) })}
                          >
                            {t('queue.open')}
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </section>
      </Stack>
    </Container>
  );
}

const STATUSES = [
  'pending',
  'callback',
  'completed',
  'partial',
  'refused',
  'unreachable',
  'ineligible',
  'do_not_call',
  'not_worked',
] as const;
type Status = (typeof STATUSES)[number];

/** A record status the locale files name ('pending' for one they do not). */
export function statusKey(s: string): Status {
  return (STATUSES as readonly string[]).includes(s) ? (s as Status) : 'pending';
}
