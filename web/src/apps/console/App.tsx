import { Anchor, AppShell, Burger, Button, Center, Group, Loader, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken } from '../../shared/api';
import type { Me } from '../../shared/types';
import { ErrorAlert } from './components/ErrorAlert';
import { LanguageSwitch } from './components/LanguageSwitch';
import { AuditPage } from './pages/AuditPage';
import { DevicesPage } from './pages/DevicesPage';
import { DoNotContactPage } from './pages/DoNotContactPage';
import { EventsPage } from './pages/EventsPage';
import { ImportsPage } from './pages/ImportsPage';
import { InstrumentsPage } from './pages/InstrumentsPage';
import { LoginPage } from './pages/LoginPage';
import { PublicationPage } from './pages/PublicationPage';
import { QualityPage } from './pages/QualityPage';
import { RoundsPage } from './pages/RoundsPage';
import { ScorecardPage } from './pages/ScorecardPage';
import { ScoresPage } from './pages/ScoresPage';
import { SmsPage } from './pages/SmsPage';
import { TokensPage } from './pages/TokensPage';
import { UnitsPage } from './pages/UnitsPage';
import { UsersPage } from './pages/UsersPage';
import { linkHandler, navigate, type RoutePath, useLocation } from './router';
import { can, ME_KEY, queryClient, useMe } from './session';

type NavKey =
  | 'scores'
  | 'scorecard'
  | 'publication'
  | 'units'
  | 'imports'
  | 'events'
  | 'quality'
  | 'rounds'
  | 'contacts'
  | 'sms'
  | 'instruments'
  | 'devices'
  | 'users'
  | 'tokens'
  | 'audit';

// A page listed with several permissions is open to a holder of any of them.
const PAGES: { key: NavKey; path: RoutePath; permission: string | string[]; render: () => ReactNode; inNav?: false }[] = [
  { key: 'scores', path: '/scores', permission: 'scores.read', render: () => <ScoresPage /> },
  { key: 'scorecard', path: '/scores/unit', permission: 'scores.read', render: () => <ScorecardPage />, inNav: false },
  { key: 'publication', path: '/publication', permission: 'snapshots.read', render: () => <PublicationPage /> },
  { key: 'units', path: '/units', permission: 'units.read', render: () => <UnitsPage /> },
  { key: 'imports', path: '/imports', permission: 'events.write', render: () => <ImportsPage /> },
  { key: 'events', path: '/events', permission: 'events.read', render: () => <EventsPage /> },
  { key: 'quality', path: '/quality', permission: 'quality.read', render: () => <QualityPage /> },
  { key: 'rounds', path: '/rounds', permission: 'rounds.read', render: () => <RoundsPage /> },
  { key: 'contacts', path: '/do-not-contact', permission: 'contacts.read', render: () => <DoNotContactPage /> },
  { key: 'sms', path: '/sms', permission: ['sms.read', 'sms.review'], render: () => <SmsPage /> },
  { key: 'instruments', path: '/instruments', permission: 'surveys.read', render: () => <InstrumentsPage /> },
  { key: 'devices', path: '/devices', permission: 'devices.read', render: () => <DevicesPage /> },
  { key: 'users', path: '/users', permission: 'users.manage', render: () => <UsersPage /> },
  { key: 'tokens', path: '/tokens', permission: 'tokens.manage', render: () => <TokensPage /> },
  { key: 'audit', path: '/audit', permission: 'audit.read', render: () => <AuditPage /> },
];

const opens = (me: Me, p: { permission: string | string[] }) => [p.permission].flat().some((x) => can(me, x));

/** Only same-site paths may be used as the post-login target. */
function safeNext(next: string | null): string {
  return next && /^\/(?!\/)/.test(next) && !next.startsWith('/login') ? next : '/';
}

export function App() {
  const { t } = useTranslation();
  const me = useMe();
  const { path, search } = useLocation();
  const signedIn = Boolean(me.data);

  useEffect(() => {
    if (me.isPending || me.isError) return;
    if (!signedIn && path !== '/login') {
      const next = path === '/' ? '' : `?next=${encodeURIComponent(path)}`;
      navigate(`/login${next}`, { replace: true });
    } else if (signedIn && path === '/login') {
      navigate(safeNext(search.get('next')), { replace: true });
    }
  }, [me.isPending, me.isError, signedIn, path, search]);

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
  if (!me.data) return <LoginPage />;
  return <Shell me={me.data} path={path} />;
}

function Shell({ me, path }: { me: Me; path: string }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const allowed = PAGES.filter((p) => p.inNav !== false && opens(me, p));
  const page = PAGES.find((p) => p.path === path);

  const home = allowed[0]?.path;
  useEffect(() => {
    if (path === '/' && home) navigate(home, { replace: true });
  }, [path, home]);

  const logout = useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/logout'),
    // Even if the server call fails the local session is dropped.
    onSettled: () => {
      setCsrfToken(null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      queryClient.setQueryData(ME_KEY, null);
      navigate('/login', { replace: true });
    },
  });

  let content: ReactNode;
  if (page) content = opens(me, page) ? page.render() : <Notice text={t('pages.forbidden')} />;
  else if (path === '/' || path === '/login') content = allowed.length ? null : <Notice text={t('pages.noAccess')} />;
  else content = <Notice text={t('pages.notFound')} link />;

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'md' }}
    >
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
            <Anchor
              href="/"
              onClick={linkHandler('/', close)}
              fw={700}
              c="blue.8"
              underline="never"
              truncate
              data-testid="app-name"
            >
              {t('app.name')}
            </Anchor>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="sm" truncate maw={220} data-testid="user-name">
              {me.user?.displayName ?? ''}
            </Text>
            <LanguageSwitch />
            <Button
              variant="default"
              size="xs"
              onClick={() => logout.mutate()}
              loading={logout.isPending}
              visibleFrom="xs"
              data-testid="logout"
            >
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        <AppShell.Section hiddenFrom="sm" px="xs" pb="xs">
          <Text size="sm" c="dimmed">
            {t('nav.signedInAs', { name: me.user?.displayName ?? '' })}
          </Text>
        </AppShell.Section>
        <AppShell.Section grow>
          {allowed.map((p) => (
            <NavLink
              key={p.key}
              href={p.path}
              label={t(`nav.${p.key}`)}
              active={path === p.path || path.startsWith(`${p.path}/`)}
              aria-current={path === p.path ? 'page' : undefined}
              onClick={linkHandler(p.path, close)}
              data-testid={`nav-${p.key}`}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section hiddenFrom="xs" pt="xs">
          <Button variant="default" fullWidth onClick={() => logout.mutate()} loading={logout.isPending}>
            {t('nav.logout')}
          </Button>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>{content}</AppShell.Main>
    </AppShell>
  );
}

function Notice({ text, link }: { text: string; link?: boolean }) {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start" gap="xs" data-testid="notice">
      <Text>{text}</Text>
      {link && (
        <Anchor href="/" onClick={linkHandler('/')}>
          {t('pages.backHome')}
        </Anchor>
      )}
    </Stack>
  );
}
