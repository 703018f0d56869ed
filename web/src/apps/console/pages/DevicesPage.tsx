// Rating tablets: the fleet of a unit or of all units in scope with alerts
// first, pairing codes for new tablets, revocation; the units' opening hours
// and holidays; recorded prompts; and how long a tablet locks and waits.
import {
  Alert,
  Badge,
  Button,
  Code,
  FileInput,
  Group,
  Loader,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, request } from '../../../shared/api';
import { formatDateTime, formatNumber } from '../../../shared/format';
import { ConfirmModal } from '../components/ConfirmModal';
import { ErrorAlert } from '../components/ErrorAlert';
import { UnitSelect, WHOLE_TENANT } from '../components/selects';
import { can, queryClient, useSession } from '../session';
import { useUnits } from './UnitsPage';

type DeviceAlert =
  | { kind: 'silent'; minutes: number }
  | { kind: 'clock'; skewSeconds: number }
  | { kind: 'sequence'; gaps: number; repeats: number };
type Device = {
  id: string;
  name: string;
  unit: { code: string; name: string };
  lastSeenAt: string | null;
  appVersion: string | null;
  battery: number | null;
  queue: number | null;
  ratingsToday: number;
  status: 'ok' | 'alert' | 'revoked';
  alerts: DeviceAlert[];
};
type Opening = { weekday: number; opens: string; closes: string };
type Hours = { unit: { code: string; name: string }; openings: Opening[]; isDefault: boolean };
type Holiday = { day: string; name: string };
type Recording = { prompt: string; language: string; contentType: string; size: number; sha256: string; uploadedAt: string };

const ORDER = { alert: 0, ok: 1, revoked: 2 } as const;

export function DevicesPage() {
  const { t } = useTranslation();
  const me = useSession();
  const units = useUnits();
  const [unit, setUnit] = useState(WHOLE_TENANT);
  const unitCode = unit === WHOLE_TENANT ? null : unit;
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('devices.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('devices.intro')}
      </Text>
      {units.data && (
        <UnitSelect
          label={t('devices.unit')}
          units={units.data}
          value={unit}
          onChange={setUnit}
          maw={480}
          data-testid="devices-unit"
        />
      )}
      <Tabs defaultValue="devices" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="devices">{t('devices.tabs.devices')}</Tabs.Tab>
          <Tabs.Tab value="hours">{t('devices.tabs.hours')}</Tabs.Tab>
          <Tabs.Tab value="audio">{t('devices.tabs.audio')}</Tabs.Tab>
          {can(me, 'kiosk.settings') && <Tabs.Tab value="settings">{t('devices.tabs.settings')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="devices" pt="md">
          <Fleet unitCode={unitCode} />
        </Tabs.Panel>
        <Tabs.Panel value="hours" pt="md">
          <OpeningHours unitCode={unitCode} />
        </Tabs.Panel>
        <Tabs.Panel value="audio" pt="md">
          <Recordings />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">
          <Behaviour />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Fleet({ unitCode }: { unitCode: string | null }) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const key = ['devices', unitCode] as const;
  const devices = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      api.get<Device[]>(`/api/v1/devices${unitCode ? `?unit=${encodeURIComponent(unitCode)}` : ''}`, signal),
    refetchInterval: 60_000,
  });
  const [pairing, setPairing] = useState(false);
  const [revoking, setRevoking] = useState<Device | null>(null);
  const revoke = useMutation({
    mutationFn: (d: Device) => api.post(`/api/v1/devices/${d.id}/revoke`),
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: ['devices'] });
    },
  });
  const when = (iso: string) => formatDateTime(iso, i18n.language, me.tenant.timeZone);
  const alertText = (a: DeviceAlert) =>
    a.kind === 'silent'
      ? a.minutes < 120
        ? t('devices.silent', { minutes: a.minutes })
        : a.minutes < 48 * 60
          ? t('devices.silentHours', { count: Math.floor(a.minutes / 60) })
          : t('devices.silentDays', { count: Math.floor(a.minutes / 1440) })
      : a.kind === 'clock'
        ? t('devices.clock', { minutes: Math.round(Math.abs(a.skewSeconds) / 60) })
        : t('devices.sequence', { gaps: a.gaps, repeats: a.repeats });
  const sorted = [...(devices.data ?? [])].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  return (
    <Stack>
      {can(me, 'devices.manage') && (
        <Group>
          <Button onClick={() => setPairing(true)} data-testid="device-pair">
            {t('devices.pair')}
          </Button>
        </Group>
      )}
      {devices.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={devices.error} onRetry={() => void devices.refetch()} />
      {devices.data && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing="xs" data-testid="devices-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('devices.name')}</Table.Th>
                <Table.Th>{t('devices.unit')}</Table.Th>
                <Table.Th>{t('devices.status')}</Table.Th>
                <Table.Th>{t('devices.alerts')}</Table.Th>
                <Table.Th>{t('devices.lastSeen')}</Table.Th>
                <Table.Th>{t('devices.battery')}</Table.Th>
                <Table.Th>{t('devices.queue')}</Table.Th>
                <Table.Th>{t('devices.today')}</Table.Th>
                <Table.Th>{t('devices.version')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={10}>
                    <Text size="sm" c="dimmed">
                      {t('devices.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {sorted.map((d) => (
                <Table.Tr key={d.id} data-testid={`device-${d.id}`}>
                  <Table.Td fw={500}>{d.name}</Table.Td>
                  <Table.Td>{d.unit.name}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600} c={d.status === 'ok' ? 'green.8' : d.status === 'alert' ? 'red.8' : 'dimmed'}>
                      {t(`devices.${d.status}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td miw={200}>
                    <Stack gap={2}>
                      {d.alerts.map((a) => (
                        <Text key={a.kind} size="sm" c="red.8">
                          {alertText(a)}
                        </Text>
                      ))}
                    </Stack>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{d.lastSeenAt ? when(d.lastSeenAt) : t('devices.never')}</Table.Td>
                  <Table.Td>{d.battery === null ? '—' : `${Math.round(d.battery * 100)}%`}</Table.Td>
                  <Table.Td>{d.queue ?? '—'}</Table.Td>
                  <Table.Td>{formatNumber(d.ratingsToday, i18n.language)}</Table.Td>
                  <Table.Td>{d.appVersion ?? '—'}</Table.Td>
                  <Table.Td>
                    {d.status !== 'revoked' && can(me, 'devices.manage') && (
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => setRevoking(d)}>
                        {t('devices.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <PairingModal opened={pairing} unitCode={unitCode} onClose={() => setPairing(false)} />
      <ConfirmModal
        opened={revoking !== null}
        title={t('devices.revoke')}
        message={revoking ? t('devices.revokeConfirm', { name: revoking.name }) : ''}
        confirmLabel={t('devices.revoke')}
        pending={revoke.isPending}
        error={revoke.error}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      />
    </Stack>
  );
}

function PairingModal({ opened, unitCode, onClose }: { opened: boolean; unitCode: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const units = useUnits(opened);
  const [unit, setUnit] = useState<string>(unitCode ?? WHOLE_TENANT);
  const create = useMutation({
    mutationFn: () => api.post<{ code: string; expiresAt: string }>('/api/v1/devices/pairings', { unit }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['devices'] }),
  });
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={t('devices.pairTitle')} centered>
      {create.data ? (
        <Stack>
          <Text size="sm">{t('devices.pairCode')}</Text>
          <Code block fz={32} ta="center" data-testid="pairing-code">
            {create.data.code}
          </Code>
          <Text size="sm">
            {t('devices.pairHow', {
              url: `${window.location.origin}/kiosk/`,
              time: formatDateTime(create.data.expiresAt, i18n.language, me.tenant.timeZone),
            })}
          </Text>
          <Button onClick={close}>{t('common.close')}</Button>
        </Stack>
      ) : (
        <Stack>
          {units.data && <UnitSelect label={t('devices.pairUnit')} units={units.data} value={unit} onChange={setUnit} required />}
          <ErrorAlert error={create.error} />
          <Button disabled={unit === WHOLE_TENANT} loading={create.isPending} onClick={() => create.mutate()}>
            {t('devices.pairCreate')}
          </Button>
        </Stack>
      )}
    </Modal>
  );
}

type Keyed = Opening & { key: number };
let nextKey = 1;

function OpeningHours({ unitCode }: { unitCode: string | null }) {
  const { t } = useTranslation();
  const me = useSession();
  const hours = useQuery({
    queryKey: ['opening-hours', unitCode],
    queryFn: ({ signal }) => api.get<Hours>(`/api/v1/units/${encodeURIComponent(unitCode ?? '')}/opening-hours`, signal),
    enabled: unitCode !== null,
  });
  // Rows carry a key of their own (given once per load): periods are added and removed while editing.
  const [draft, setDraft] = useState<Keyed[] | null>(null);
  const loaded = useMemo(() => (hours.data?.openings ?? []).map((o) => ({ ...o, key: nextKey++ })), [hours.data]);
  const rows = draft ?? loaded;
  const save = useMutation({
    mutationFn: (openings: Keyed[]) =>
      request<Hours>(`/api/v1/units/${encodeURIComponent(unitCode ?? '')}/opening-hours`, {
        method: 'PUT',
        body: { openings: openings.map(({ key: _k, ...o }) => o) },
      }),
    onSuccess: (h) => {
      setDraft(null);
      queryClient.setQueryData(['opening-hours', unitCode], h);
    },
  });
  const edit = (i: number, patch: Partial<Opening>) => setDraft(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const writable = can(me, 'hours.write');
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('devices.hours.intro')}
      </Text>
      {unitCode === null && <Alert variant="light">{t('devices.hours.pickUnit')}</Alert>}
      <ErrorAlert error={hours.error ?? save.error} />
      {hours.data && (
        <Stack gap="xs" maw={640}>
          {hours.data.isDefault && draft === null && (
            <Badge variant="light" color="gray">
              {t('devices.hours.default')}
            </Badge>
          )}
          <Table verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('devices.hours.weekday')}</Table.Th>
                <Table.Th>{t('devices.hours.opens')}</Table.Th>
                <Table.Th>{t('devices.hours.closes')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((o, i) => (
                <Table.Tr key={o.key}>
                  <Table.Td>
                    <Select
                      aria-label={t('devices.hours.weekday')}
                      disabled={!writable}
                      value={String(o.weekday)}
                      allowDeselect={false}
                      onChange={(v) => v && edit(i, { weekday: Number(v) })}
                      data={WEEKDAYS.map((d) => ({ value: d, label: t(`devices.hours.days.${d}`) }))}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      type="time"
                      aria-label={t('devices.hours.opens')}
                      disabled={!writable}
                      value={o.opens}
                      onChange={(e) => edit(i, { opens: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      type="time"
                      aria-label={t('devices.hours.closes')}
                      disabled={!writable}
                      value={o.closes}
                      onChange={(e) => edit(i, { closes: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    {writable && (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        onClick={() => setDraft(rows.filter((_, j) => j !== i))}
                      >
                        {t('devices.hours.remove')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {writable && (
            <Group>
              <Button
                variant="default"
                onClick={() => setDraft([...rows, { weekday: 1, opens: '07:00', closes: '11:30', key: nextKey++ }])}
              >
                {t('devices.hours.add')}
              </Button>
              <Button disabled={draft === null} loading={save.isPending} onClick={() => save.mutate(rows)}>
                {t('devices.hours.save')}
              </Button>
              {!hours.data.isDefault && (
                <Button variant="subtle" onClick={() => save.mutate([])}>
                  {t('devices.hours.reset')}
                </Button>
              )}
            </Group>
          )}
        </Stack>
      )}
      <Holidays />
    </Stack>
  );
}

function Holidays() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const list = useQuery({ queryKey: ['holidays'], queryFn: ({ signal }) => api.get<Holiday[]>('/api/v1/holidays', signal) });
  const [day, setDay] = useState('');
  const [name, setName] = useState('');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['holidays'] });
  const add = useMutation({
    mutationFn: () => request(`/api/v1/holidays/${day}`, { method: 'PUT', body: { name } }),
    onSuccess: () => {
      setDay('');
      setName('');
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: (d: string) => api.delete(`/api/v1/holidays/${d}`), onSuccess: refresh });
  const writable = can(me, 'holidays.write');
  return (
    <Stack gap="xs" maw={640} mt="md">
      <Title order={2} size="h4">
        {t('devices.hours.holidays')}
      </Title>
      <ErrorAlert error={list.error ?? add.error ?? remove.error} />
      {list.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('devices.hours.noHolidays')}
        </Text>
      )}
      {list.data?.map((h) => (
        <Group key={h.day} justify="space-between">
          <Text size="sm">
            {new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full', timeZone: 'UTC' }).format(
              new Date(`${h.day}T00:00:00Z`),
            )}
            {' — '}
            {h.name}
          </Text>
          {writable && (
            <Button size="compact-sm" variant="subtle" color="red" onClick={() => remove.mutate(h.day)}>
              {t('devices.hours.remove')}
            </Button>
          )}
        </Group>
      ))}
      {writable && (
        <Group align="end">
          <TextInput
            type="date"
            label={t('devices.hours.holidayDay')}
            value={day}
            onChange={(e) => setDay(e.currentTarget.value)}
          />
          <TextInput label={t('devices.hours.holidayName')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Button disabled={!day || !name.trim()} loading={add.isPending} onClick={() => add.mutate()}>
            {t('devices.hours.holidayAdd')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

const AUDIO_LANGUAGES = ['vi', 'brv', 'pac', 'en'] as const;
const isAudioLanguage = (l: string): l is (typeof AUDIO_LANGUAGES)[number] => (AUDIO_LANGUAGES as readonly string[]).includes(l);
const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;

function Recordings() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const [instrument, setInstrument] = useState('KIOSK_QUICK');
  const key = ['audio', instrument] as const;
  const list = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      api.get<{ prompts: string[]; recordings: Recording[] }>(
        `/api/v1/instruments/${encodeURIComponent(instrument)}/audio`,
        signal,
      ),
  });
  const [prompt, setPrompt] = useState<string | null>(null);
  const [language, setLanguage] = useState('vi');
  const [file, setFile] = useState<File | null>(null);
  const path = (p: string, l: string) =>
    `/api/v1/instruments/${encodeURIComponent(instrument)}/audio/${encodeURIComponent(p)}/${encodeURIComponent(l)}`;
  const upload = useMutation({
    mutationFn: async () =>
      request(path(prompt ?? '', language), {
        method: 'PUT',
        body: file,
        contentType: file?.type.startsWith('audio/') ? file.type : 'audio/mpeg',
      }),
    onSuccess: () => {
      setFile(null);
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: (r: Recording) => api.delete(path(r.prompt, r.language)),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  const play = async (r: Recording) => {
    const res = await fetch(path(r.prompt, r.language), { credentials: 'same-origin' });
    if (res.ok) void new Audio(URL.createObjectURL(await res.blob())).play();
  };
  const writable = can(me, 'audio.write');
  return (
    <Stack maw={820}>
      <Text size="sm" c="dimmed">
        {t('devices.audio.intro')}
      </Text>
      <TextInput
        label={t('devices.audio.instrument')}
        value={instrument}
        onChange={(e) => setInstrument(e.currentTarget.value.toUpperCase())}
        maw={320}
      />
      <ErrorAlert error={list.error ?? upload.error ?? remove.error} />
      {writable && list.data && (
        <Group align="end">
          <Select
            label={t('devices.audio.prompt')}
            data={list.data.prompts}
            value={prompt}
            onChange={setPrompt}
            searchable
            data-testid="audio-prompt"
          />
          <Select
            label={t('devices.audio.language')}
            allowDeselect={false}
            value={language}
            onChange={(v) => v && setLanguage(v)}
            data={AUDIO_LANGUAGES.map((l) => ({ value: l, label: t(`devices.audio.languages.${l}`) }))}
          />
          <FileInput label={t('devices.audio.file')} accept="audio/*" value={file} onChange={setFile} clearable w={280} />
          <Button disabled={!prompt || !file} loading={upload.isPending} onClick={() => upload.mutate()}>
            {t('devices.audio.upload')}
          </Button>
        </Group>
      )}
      {list.data?.recordings.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('devices.audio.none')}
        </Text>
      )}
      {list.data && list.data.recordings.length > 0 && (
        <Table verticalSpacing={4} data-testid="audio-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('devices.audio.prompt')}</Table.Th>
              <Table.Th>{t('devices.audio.language')}</Table.Th>
              <Table.Th>{t('devices.audio.size')}</Table.Th>
              <Table.Th>{t('devices.audio.uploaded')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.recordings.map((r) => (
              <Table.Tr key={`${r.prompt}/${r.language}`}>
                <Table.Td>
                  <Code>{r.prompt}</Code>
                </Table.Td>
                <Table.Td>{isAudioLanguage(r.language) ? t(`devices.audio.languages.${r.language}`) : r.language}</Table.Td>
                <Table.Td>{formatNumber(Math.round(r.size / 1024), i18n.language)} KB</Table.Td>
                <Table.Td>{formatDateTime(r.uploadedAt, i18n.language, me.tenant.timeZone)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button size="compact-sm" variant="light" onClick={() => void play(r)}>
                      {t('devices.audio.listen')}
                    </Button>
                    {writable && (
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => remove.mutate(r)}>
                        {t('devices.audio.remove')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Behaviour() {
  const { t } = useTranslation();
  const settings = useQuery({
    queryKey: ['kiosk-settings'],
    queryFn: ({ signal }) => api.get<{ idleSeconds: number; lockSeconds: number }>('/api/v1/kiosk/settings', signal),
  });
  const [draft, setDraft] = useState<{ idleSeconds: number; lockSeconds: number } | null>(null);
  const value = draft ?? settings.data;
  const save = useMutation({
    mutationFn: (v: { idleSeconds: number; lockSeconds: number }) =>
      request('/api/v1/kiosk/settings', { method: 'PUT', body: v }),
    onSuccess: () => {
      setDraft(null);
      void queryClient.invalidateQueries({ queryKey: ['kiosk-settings'] });
    },
  });
  if (!value) return <ErrorAlert error={settings.error} />;
  return (
    <Stack maw={420}>
      <NumberInput
        label={t('devices.settings.idle')}
        min={10}
        max={600}
        value={value.idleSeconds}
        onChange={(v) => setDraft({ ...value, idleSeconds: Number(v) })}
      />
      <NumberInput
        label={t('devices.settings.lock')}
        min={1}
        max={30}
        value={value.lockSeconds}
        onChange={(v) => setDraft({ ...value, lockSeconds: Number(v) })}
      />
      <ErrorAlert error={save.error} />
      <Group>
        <Button disabled={!draft} loading={save.isPending} onClick={() => draft && save.mutate(draft)}>
          {t('devices.settings.save')}
        </Button>
        {save.isSuccess && !draft && <Text size="sm">{t('devices.settings.saved')}</Text>}
      </Group>
    </Stack>
  );
}
