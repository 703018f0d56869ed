// SMS: the message log, statistics per unit, templates, citizens' messages
// and the settings, each tab for the roles that may see it (?tab= keeps the
// one open). An administrator sees the gateway's outage above every tab.
import { Alert, Anchor, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import { linkHandler, navigate, useLocation } from '../router';
import { can, canEverywhere, useSession } from '../session';
import { InboundPanel } from './sms/InboundPanel';
import { useSmsT } from './sms/i18n';
import { MessageLog } from './sms/MessageLog';
import { SETTINGS_KEY, type SettingsResponse } from './sms/model';
import { useWhen } from './sms/parts';
import { SettingsPanel } from './sms/SettingsPanel';
import { StatsPanel } from './sms/StatsPanel';
import { TemplatesPanel } from './sms/TemplatesPanel';

const TABS = ['log', 'stats', 'templates', 'inbound', 'settings'] as const;
type Tab = (typeof TABS)[number];

export function SmsPage() {
  const { t, tc } = useSmsT();
  const me = useSession();
  const { search } = useLocation();
  const read = can(me, 'sms.read');
  // Settings, templates, replays and citizens' messages are the whole province's.
  const manage = canEverywhere(me, 'sms.manage');
  const review = canEverywhere(me, 'sms.review');
  const shown: Record<Tab, boolean> = { log: read, stats: read, templates: read, inbound: review, settings: manage };
  const tabs = TABS.filter((x) => shown[x]);
  const asked = search.get('tab');
  const tab = tabs.find((x) => x === asked) ?? tabs[0];
  const settings = useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: ({ signal }) => api.get<SettingsResponse>('/api/v1/sms/settings', signal),
    enabled: manage,
    refetchInterval: 60_000,
  });
  const recorder = settings.data?.settings.gateway.kind === 'recorder';
  // Every reader sees an outage: messages of their units are waiting too.
  const gateway = useQuery({
    queryKey: ['sms', 'gateway'],
    queryFn: ({ signal }) => api.get<GatewayState | null>('/api/v1/sms/gateway', signal),
    enabled: read,
    refetchInterval: 60_000,
  });

  return (
    <Stack>
      <Group justify="space-between" align="flex-end" gap="sm">
        <Title order={1} size="h2">
          {t('sms.title')}
        </Title>
        {can(me, 'contacts.read') && (
          <Anchor href="/do-not-contact" onClick={linkHandler('/do-not-contact')} size="sm" data-testid="sms-opt-out-link">
            {t('sms.optOutLink')}
          </Anchor>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('sms.intro')}
      </Text>
      {gateway.data && !gateway.data.up && <GatewayDown state={gateway.data} />}
      {!tab && <Text size="sm">{tc('pages.forbidden')}</Text>}
      {tab && (
        <Tabs value={tab} onChange={(v) => v && navigate(`/sms?tab=${v}`, { replace: true })} keepMounted={false}>
          <Tabs.List>
            {tabs.map((x) => (
              <Tabs.Tab key={x} value={x} data-testid={`sms-tab-${x}`}>
                {t(`sms.tabs.${x}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="log" pt="md">
            <MessageLog canReplay={manage} />
          </Tabs.Panel>
          <Tabs.Panel value="stats" pt="md">
            <StatsPanel />
          </Tabs.Panel>
          <Tabs.Panel value="templates" pt="md">
            <TemplatesPanel canEdit={manage} />
          </Tabs.Panel>
          <Tabs.Panel value="inbound" pt="md">
            <InboundPanel canSimulate={manage && recorder} />
          </Tabs.Panel>
          <Tabs.Panel value="settings" pt="md">
            <SettingsPanel />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

type GatewayState = { kind: string; up: boolean; since: string; alerted: boolean; lastError: string | null };

function GatewayDown({ state }: { state: GatewayState }) {
  const { t } = useSmsT();
  const when = useWhen();
  return (
    <Alert color="red" variant="filled" role="alert" title={t('sms.gatewayDownTitle')} data-testid="sms-gateway-down">
      <Text size="sm">{t('sms.gatewayDown', { since: when(state.since) })}</Text>
      {state.lastError && (
        <Text size="xs" ff="monospace" mt={4} style={{ overflowWrap: 'anywhere' }}>
          {t('sms.gatewayLastError', { error: state.lastError })}
        </Text>
      )}
    </Alert>
  );
}
