// The province's SMS settings: what is sent and when, the sender, and the
// gateway with its account (a stored password shows as ******** and is kept
// when sent back), its state and, for Kannel, the addresses it calls back.
import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  List,
  Loader,
  NumberInput,
  Paper,
  PasswordInput,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, api, request } from '../../../../shared/api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { queryClient } from '../../session';
import { useSmsT } from './i18n';
import { type GatewayKind, type GatewaySettings, SETTINGS_KEY, type SettingsResponse, type SmsSettings } from './model';
import { useWhen } from './parts';

type Num = number | '';

interface Form {
  invitations: boolean;
  invitationMode: 'reply' | 'link';
  invitationDelayMinutes: Num;
  invitationMaxAgeHours: Num;
  reminderAfterHours: Num;
  statusNotifications: boolean;
  listReminders: boolean;
  sendFrom: Num;
  sendTo: Num;
  sender: string;
  maxAttempts: Num;
  kind: GatewayKind;
  smpp: { host: string; port: Num; systemId: string; password: string; systemType: string; window: Num; enquireLinkSeconds: Num };
  http: { sendUrl: string; username: string; password: string; smsc: string; callbackBase: string; window: Num };
}

const GATEWAY_KINDS: GatewayKind[] = ['recorder', 'smpp', 'http'];
// Help under the field, so that fields side by side keep their boxes in line.
const BELOW: ('label' | 'input' | 'description' | 'error')[] = ['label', 'input', 'description', 'error'];

function toForm(s: SmsSettings): Form {
  const g = s.gateway;
  const smpp = g.kind === 'smpp' ? g.config : undefined;
  const http = g.kind === 'http' ? g.config : undefined;
  return {
    invitations: s.invitations,
    invitationMode: s.invitationMode,
    invitationDelayMinutes: s.invitationDelayMinutes,
    invitationMaxAgeHours: s.invitationMaxAgeHours,
    reminderAfterHours: s.reminderAfterHours ?? '',
    statusNotifications: s.statusNotifications,
    listReminders: s.listReminders,
    sendFrom: s.sendFrom,
    sendTo: s.sendTo,
    sender: s.sender ?? '',
    maxAttempts: s.maxAttempts,
    kind: g.kind,
    smpp: {
      host: smpp?.host ?? '',
      port: smpp?.port ?? 2775,
      systemId: smpp?.systemId ?? '',
      password: smpp?.password ?? '',
      systemType: smpp?.systemType ?? '',
      window: smpp?.window ?? '',
      enquireLinkSeconds: smpp?.enquireLinkSeconds ?? '',
    },
    http: {
      sendUrl: http?.sendUrl ?? '',
      username: http?.username ?? '',
      password: http?.password ?? '',
      smsc: http?.smsc ?? '',
      callbackBase: http?.callbackBase ?? '',
      window: http?.window ?? '',
    },
  };
}

function toBody(f: Form): SmsSettings {
  const num = (v: Num) => (v === '' ? 0 : v);
  // Optional fields are left out when empty; the server fills its defaults.
  const opt = <K extends string, V>(key: K, v: V | '') => (v === '' ? {} : ({ [key]: v } as Record<K, V>));
  let gateway: GatewaySettings = { kind: 'recorder' };
  if (f.kind === 'smpp') {
    const g = f.smpp;
    gateway = {
      kind: 'smpp',
      config: {
        host: g.host.trim(),
        port: num(g.port),
        systemId: g.systemId.trim(),
        password: g.password,
        ...opt('systemType', g.systemType.trim()),
        ...opt('window', g.window),
        ...opt('enquireLinkSeconds', g.enquireLinkSeconds),
      },
    };
  } else if (f.kind === 'http') {
    const g = f.http;
    gateway = {
      kind: 'http',
      config: {
        sendUrl: g.sendUrl.trim(),
        username: g.username.trim(),
        password: g.password,
        ...opt('smsc', g.smsc.trim()),
        ...opt('callbackBase', g.callbackBase.trim()),
        ...opt('window', g.window),
      },
    };
  }
  return {
    invitations: f.invitations,
    invitationMode: f.invitationMode,
    invitationDelayMinutes: num(f.invitationDelayMinutes),
    invitationMaxAgeHours: num(f.invitationMaxAgeHours),
    reminderAfterHours: f.reminderAfterHours === '' ? null : f.reminderAfterHours,
    statusNotifications: f.statusNotifications,
    listReminders: f.listReminders,
    sendFrom: num(f.sendFrom),
    sendTo: num(f.sendTo),
    sender: f.sender.trim() || null,
    maxAttempts: num(f.maxAttempts),
    gateway,
  };
}

const asNum = (v: string | number): Num => (typeof v === 'number' ? v : v === '' ? '' : Number(v));

export function SettingsPanel() {
  const { tc } = useSmsT();
  const q = useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: ({ signal }) => api.get<SettingsResponse>('/api/v1/sms/settings', signal),
  });
  if (q.isPending) return <Loader size="sm" aria-label={tc('app.loading')} />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  return <SettingsForm data={q.data} />;
}

function SettingsForm({ data }: { data: SettingsResponse }) {
  const { t } = useSmsT();
  const when = useWhen();
  const [f, setF] = useState<Form>(() => toForm(data.settings));
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<Form>) => {
    setF((x) => ({ ...x, ...patch }));
    setSaved(false);
  };
  const setSmpp = (patch: Partial<Form['smpp']>) => set({ smpp: { ...f.smpp, ...patch } });
  const setHttp = (patch: Partial<Form['http']>) => set({ http: { ...f.http, ...patch } });

  const save = useMutation({
    mutationFn: () => request<{ settings: SmsSettings }>('/api/v1/sms/settings', { method: 'PUT', body: toBody(f) }),
    onSuccess: (r) => {
      setF(toForm(r.settings));
      setSaved(true);
      void queryClient.invalidateQueries({ queryKey: SETTINGS_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const fieldErrors = save.error instanceof ApiError ? save.error.errors : [];
  const state = data.state;

  const section = (title: string, children: ReactNode, testId: string) => (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );

  return (
    <form onSubmit={submit} data-testid="sms-settings-form">
      <Stack>
        {section(
          t('sms.settings.sending'),
          <>
            <Switch
              label={t('sms.settings.invitations')}
              checked={f.invitations}
              onChange={(e) => set({ invitations: e.currentTarget.checked })}
              data-testid="sms-set-invitations"
            />
            <Radio.Group
              label={t('sms.settings.invitationMode')}
              value={f.invitationMode}
              onChange={(v) => set({ invitationMode: v as Form['invitationMode'] })}
            >
              <Group gap="lg" mt={4}>
                <Radio value="reply" label={t('sms.settings.modeReply')} data-testid="sms-set-mode-reply" />
                <Radio value="link" label={t('sms.settings.modeLink')} data-testid="sms-set-mode-link" />
              </Group>
            </Radio.Group>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <NumberInput
                label={t('sms.settings.delay')}
                min={0}
                max={10080}
                allowDecimal={false}
                allowNegative={false}
                required
                value={f.invitationDelayMinutes}
                onChange={(v) => set({ invitationDelayMinutes: asNum(v) })}
                data-testid="sms-set-delay"
              />
              <NumberInput
                label={t('sms.settings.maxAge')}
                min={1}
                max={720}
                allowDecimal={false}
                allowNegative={false}
                required
                value={f.invitationMaxAgeHours}
                onChange={(v) => set({ invitationMaxAgeHours: asNum(v) })}
                data-testid="sms-set-max-age"
              />
              <NumberInput
                label={t('sms.settings.reminder')}
                inputWrapperOrder={BELOW}
                description={t('sms.settings.reminderHelp')}
                min={1}
                max={168}
                allowDecimal={false}
                allowNegative={false}
                value={f.reminderAfterHours}
                onChange={(v) => set({ reminderAfterHours: asNum(v) })}
                data-testid="sms-set-reminder"
              />
            </SimpleGrid>
            <Switch
              label={t('sms.settings.statusNotifications')}
              checked={f.statusNotifications}
              onChange={(e) => set({ statusNotifications: e.currentTarget.checked })}
              data-testid="sms-set-status"
            />
            <Switch
              label={t('sms.settings.listReminders')}
              checked={f.listReminders}
              onChange={(e) => set({ listReminders: e.currentTarget.checked })}
              data-testid="sms-set-list-reminders"
            />
          </>,
          'sms-settings-sending',
        )}

        {section(
          t('sms.settings.hours'),
          <>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
              <NumberInput
                label={t('sms.settings.sendFrom')}
                min={0}
                max={23}
                allowDecimal={false}
                allowNegative={false}
                required
                value={f.sendFrom}
                onChange={(v) => set({ sendFrom: asNum(v) })}
                data-testid="sms-set-from"
              />
              <NumberInput
                label={t('sms.settings.sendTo')}
                min={1}
                max={24}
                allowDecimal={false}
                allowNegative={false}
                required
                value={f.sendTo}
                onChange={(v) => set({ sendTo: asNum(v) })}
                data-testid="sms-set-to"
              />
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              {t('sms.settings.hoursHelp')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                label={t('sms.settings.sender')}
                inputWrapperOrder={BELOW}
                description={t('sms.settings.senderHelp')}
                maxLength={20}
                autoComplete="off"
                value={f.sender}
                onChange={(e) => set({ sender: e.currentTarget.value })}
                data-testid="sms-set-sender"
              />
              <NumberInput
                label={t('sms.settings.maxAttempts')}
                min={1}
                max={50}
                allowDecimal={false}
                allowNegative={false}
                required
                value={f.maxAttempts}
                onChange={(v) => set({ maxAttempts: asNum(v) })}
                data-testid="sms-set-attempts"
              />
            </SimpleGrid>
          </>,
          'sms-settings-hours',
        )}

        {section(
          t('sms.settings.gateway'),
          <>
            <Text size="sm" data-testid="sms-gateway-state" data-up={state ? String(state.up) : undefined}>
              <Text span fw={500}>
                {t('sms.settings.state')}:{' '}
              </Text>
              {state
                ? state.up
                  ? t('sms.settings.stateUp', { since: when(state.since) })
                  : t('sms.settings.stateDown', { since: when(state.since) })
                : t('sms.settings.stateUnknown')}
              {state && !state.up && state.lastError ? ` · ${t('sms.gatewayLastError', { error: state.lastError })}` : ''}
            </Text>
            <Radio.Group label={t('sms.settings.gatewayKind')} value={f.kind} onChange={(v) => set({ kind: v as GatewayKind })}>
              <Group gap="lg" mt={4}>
                {GATEWAY_KINDS.map((k) => (
                  <Radio key={k} value={k} label={t(`sms.settings.kinds.${k}`)} data-testid={`sms-set-gateway-${k}`} />
                ))}
              </Group>
            </Radio.Group>
            {f.kind === 'recorder' && (
              <Alert color="blue" variant="light" data-testid="sms-recorder-note">
                <Text size="sm" c="dark.7">
                  {t('sms.settings.recorderHelp')}
                </Text>
              </Alert>
            )}
            {f.kind === 'smpp' && (
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" data-testid="sms-smpp-fields">
                <TextInput
                  label={t('sms.settings.host')}
                  required
                  autoComplete="off"
                  value={f.smpp.host}
                  onChange={(e) => setSmpp({ host: e.currentTarget.value })}
                  data-testid="sms-smpp-host"
                />
                <NumberInput
                  label={t('sms.settings.port')}
                  required
                  min={1}
                  max={65535}
                  allowDecimal={false}
                  allowNegative={false}
                  thousandSeparator={false}
                  value={f.smpp.port}
                  onChange={(v) => setSmpp({ port: asNum(v) })}
                  data-testid="sms-smpp-port"
                />
                <TextInput
                  label={t('sms.settings.systemId')}
                  required
                  maxLength={16}
                  autoComplete="off"
                  value={f.smpp.systemId}
                  onChange={(e) => setSmpp({ systemId: e.currentTarget.value })}
                  data-testid="sms-smpp-system-id"
                />
                <PasswordInput
                  label={t('sms.settings.password')}
                  inputWrapperOrder={BELOW}
                  description={t('sms.settings.passwordKept')}
                  maxLength={9}
                  autoComplete="new-password"
                  value={f.smpp.password}
                  onChange={(e) => setSmpp({ password: e.currentTarget.value })}
                  data-testid="sms-smpp-password"
                />
                <TextInput
                  label={t('sms.settings.systemType')}
                  inputWrapperOrder={BELOW}
                  description={t('sms.settings.optional')}
                  maxLength={13}
                  autoComplete="off"
                  value={f.smpp.systemType}
                  onChange={(e) => setSmpp({ systemType: e.currentTarget.value })}
                />
                <NumberInput
                  label={t('sms.settings.window')}
                  inputWrapperOrder={BELOW}
                  description={t('sms.settings.optional')}
                  min={1}
                  max={100}
                  allowDecimal={false}
                  allowNegative={false}
                  value={f.smpp.window}
                  onChange={(v) => setSmpp({ window: asNum(v) })}
                />
                <NumberInput
                  label={t('sms.settings.enquireLink')}
                  inputWrapperOrder={BELOW}
                  description={t('sms.settings.optional')}
                  min={1}
                  max={600}
                  allowDecimal={false}
                  allowNegative={false}
                  value={f.smpp.enquireLinkSeconds}
                  onChange={(v) => setSmpp({ enquireLinkSeconds: asNum(v) })}
                />
              </SimpleGrid>
            )}
            {f.kind === 'http' && (
              <>
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" data-testid="sms-http-fields">
                  <TextInput
                    label={t('sms.settings.sendUrl')}
                    required
                    type="url"
                    autoComplete="off"
                    placeholder="http://kannel:13013/cgi-bin/sendsms"
                    value={f.http.sendUrl}
                    onChange={(e) => setHttp({ sendUrl: e.currentTarget.value })}
                    data-testid="sms-http-url"
                  />
                  <TextInput
                    label={t('sms.settings.username')}
                    required
                    maxLength={100}
                    autoComplete="off"
                    value={f.http.username}
                    onChange={(e) => setHttp({ username: e.currentTarget.value })}
                    data-testid="sms-http-username"
                  />
                  <PasswordInput
                    label={t('sms.settings.password')}
                    inputWrapperOrder={BELOW}
                    description={t('sms.settings.passwordKept')}
                    maxLength={100}
                    autoComplete="new-password"
                    value={f.http.password}
                    onChange={(e) => setHttp({ password: e.currentTarget.value })}
                    data-testid="sms-http-password"
                  />
                  <TextInput
                    label={t('sms.settings.smsc')}
                    inputWrapperOrder={BELOW}
                    description={t('sms.settings.optional')}
                    maxLength={100}
                    autoComplete="off"
                    value={f.http.smsc}
                    onChange={(e) => setHttp({ smsc: e.currentTarget.value })}
                  />
                  <TextInput
                    label={t('sms.settings.callbackBase')}
                    inputWrapperOrder={BELOW}
                    description={t('sms.settings.callbackBaseHelp')}
                    type="url"
                    autoComplete="off"
                    value={f.http.callbackBase}
                    onChange={(e) => setHttp({ callbackBase: e.currentTarget.value })}
                  />
                  <NumberInput
                    label={t('sms.settings.window')}
                    inputWrapperOrder={BELOW}
                    description={t('sms.settings.optional')}
                    min={1}
                    max={100}
                    allowDecimal={false}
                    allowNegative={false}
                    value={f.http.window}
                    onChange={(v) => setHttp({ window: asNum(v) })}
                  />
                </SimpleGrid>
                <Stack gap="xs" data-testid="sms-callbacks">
                  <Text size="sm" fw={600}>
                    {t('sms.settings.callbacks')}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('sms.settings.callbacksHelp')}
                  </Text>
                  <CallbackUrl
                    label={t('sms.settings.incoming')}
                    value={data.callbacks.incoming}
                    testId="sms-callback-incoming"
                  />
                  <CallbackUrl
                    label={t('sms.settings.deliveryReports')}
                    value={data.callbacks.deliveryReports}
                    testId="sms-callback-dlr"
                  />
                </Stack>
              </>
            )}
          </>,
          'sms-settings-gateway',
        )}

        <ErrorAlert error={save.error} testId="sms-settings-error" />
        {fieldErrors.length > 0 && (
          <List size="sm" c="red.9" data-testid="sms-settings-field-errors">
            {fieldErrors.map((e) => (
              <List.Item key={`${e.path}-${e.code}-${e.message}`}>
                <Code>{(e.path ?? '').replace(/^\/?(body\.)?/, '')}</Code> {e.message}
              </List.Item>
            ))}
          </List>
        )}
        {saved && (
          <Alert color="green" variant="light" role="status" data-testid="sms-settings-saved">
            {t('sms.settings.saved')}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} data-testid="sms-settings-save">
            {t('sms.settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CallbackUrl({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { tc } = useSmsT();
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code block style={{ flex: 1, minWidth: 0, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid={testId}>
          {value}
        </Code>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Button size="xs" variant={copied ? 'filled' : 'light'} color={copied ? 'teal.9' : 'blue'} onClick={copy}>
              {copied ? tc('common.copied') : tc('common.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
