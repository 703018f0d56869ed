import { Anchor, AppShell, Button, Center, Container, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, api, setCsrfToken } from '../../shared/api';
import type { Me } from '../../shared/types';
import { CallScreen } from './CallScreen';
import { ErrorAlert, LanguageSwitch } from './components';
import { useT } from './i18n';
import { LoginForm } from './LoginForm';
import type { CallView, Outcome, OutcomeResult } from './model';
import { QueueScreen } from './QueueScreen';
import { can, interviews, ME_KEY, PERMISSION, queryClient, useMe } from './session';
import { currentCall, endCall, setCurrentCall } from './storage';

export function App() {
  const { t } = useT();
  const me = useMe();
  if (me.isPending) {
    return (
      <Center h="100dvh">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (me.isError) {
    return (
      <Center h="100dvh" p="md">
        <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />
      </Center>
    );
  }
  if (!me.data) return <LoginForm />;
  return <Shell me={me.data} />;
}

/** What the queue says after an outcome was stored. */
export interface Saved {
  outcome: Outcome;
  result: OutcomeResult;
}

function Shell({ me }: { me: Me }) {
  const { t } = useT();
  const allowed = can(me, PERMISSION);

  const logout = useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/logout'),
    // Even if the server call fails the local session is dropped.
    onSettled: () => {
      const id = currentCall();
      if (id) endCall(id);
      setCsrfToken(null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      queryClient.setQueryData(ME_KEY, null);
    },
  });

  return (
    <AppShell header={{ height: 56 }} padding={{ base: 'xs', sm: 'md' }}>
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="xs">
          <Text fw={700} c="blue.9" truncate component="p" data-testid="app-name">
            {t('app.name')}
          </Text>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="sm" truncate maw={220} data-testid="user-name">
              {me.user?.displayName ?? ''}
            </Text>
            <LanguageSwitch />
            <Button variant="default" size="xs" onClick={() => logout.mutate()} loading={logout.isPending} data-testid="logout">
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        {allowed ? (
          <Workspace me={me} />
        ) : (
          <Container size="sm" py="xl">
            <Stack gap="sm" data-testid="no-access">
              <Title order={1} size="h3">
                {t('access.title')}
              </Title>
              <Text>{t('access.body', { name: me.user?.displayName ?? '' })}</Text>
              <Anchor href="/">{t('access.console')}</Anchor>
            </Stack>
          </Container>
        )}
      </AppShell.Main>
    </AppShell>
  );
}

const OPEN = new Set(['pending', 'callback']);

/** The queue, or the record being called; a call in progress is reopened after a reload or a new login. */
function Workspace({ me }: { me: Me }) {
  const { t } = useT();
  const [call, setCall] = useState<CallView | null>(null);
  const [saved, setSaved] = useState<Saved | null>(null);
  // Once, on opening the page: the call the tab was making.
  const [resumeId, setResumeId] = useState(() => currentCall());
  const resume = useQuery({
    queryKey: ['resume', resumeId],
    queryFn: ({ signal }) => interviews.get(resumeId as string, signal),
    enabled: resumeId !== null,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
  });
  useEffect(() => {
    if (!resumeId) return;
    if (resume.data) {
      if (OPEN.has(resume.data.status)) setCall(resume.data);
      else endCall(resumeId);
      setResumeId(null);
    } else if (resume.error) {
      // No longer this interviewer's (given to another, or closed): forget it. A network failure
      // keeps what was typed; the record is reopened from the list of held records.
      if (resume.error instanceof ApiError && resume.error.status >= 400 && resume.error.status < 500) endCall(resumeId);
      else setCurrentCall(null);
      setResumeId(null);
    }
  }, [resume.data, resume.error, resumeId]);

  const open = (record: CallView) => {
    setSaved(null);
    setCurrentCall(record.id);
    setCall(record);
  };
  const leave = (result: Saved | null) => {
    setSaved(result);
    setCall(null);
    void queryClient.invalidateQueries({ queryKey: ['interviews'] });
  };

  if (resumeId && !call) {
    return (
      <Center py="xl">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (call) return <CallScreen key={call.id} record={call} me={me} onLeave={leave} />;
  return <QueueScreen me={me} saved={saved} onOpen={open} />;
}
