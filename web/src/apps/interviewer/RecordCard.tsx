// Who is being called: the person to ask for, the dossier or visit, the number
// (masked until the interviewer asks for it: every reveal is audited), the
// call's length and the earlier attempts with their notes.
import { Anchor, Badge, Button, Divider, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formatInstant } from '../../shared/format';
import { ErrorAlert } from './components';
import { type Key, useT } from './i18n';
import { type CallView, OUTCOMES, type Outcome } from './model';
import { statusKey } from './QueueScreen';
import { interviews } from './session';
import { formatDuration } from './time';

const KINDS = ['dossier', 'outpatient', 'inpatient'] as const;

/** The person, the number and the dossier or visit, with the call's length. */
export function RecordSummary({ record, zone, startedAt }: { record: CallView; zone: string; startedAt: string }) {
  const { t, lang } = useT();
  const ev = record.event;
  const when = (iso: string | null) => (iso ? formatInstant(iso, lang, zone) : t('common.none'));
  const kind = (KINDS as readonly string[]).includes(ev.kind) ? t(`kind.${ev.kind as (typeof KINDS)[number]}`) : ev.kind;
  const [phone, setPhone] = useState<string | null | undefined>(undefined);
  const reveal = useMutation({ mutationFn: () => interviews.revealPhone(record.id), onSuccess: (r) => setPhone(r.phone) });

  const facts: [Key, string][] = [
    ['call.unit', record.unit.name],
    ['call.dossier', `${ev.externalId} (${kind})`],
  ];
  if (ev.service) facts.push(['call.service', ev.service]);
  if (ev.department) facts.push(['call.department', ev.department]);
  facts.push(['call.received', when(ev.receivedAt)], ['call.due', when(ev.dueAt)], ['call.returned', when(ev.returnedAt)]);
  facts.push(['call.round', record.round.name]);

  return (
    <Paper withBorder p="md" component="aside" aria-labelledby="record-title" data-testid="record">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Text size="sm" c="dimmed" id="record-title">
              {t('call.askFor')}
            </Text>
            <Text fz={22} fw={700} lh={1.3} data-testid="citizen-name">
              {record.citizenName ?? t('call.noName')}
            </Text>
          </div>
          <Badge color={record.status === 'callback' ? 'violet' : 'gray'} variant="light">
            {t(`status.${statusKey(record.status)}`)}
          </Badge>
        </Group>

        <Paper bg="var(--mantine-color-gray-0)" p="xs" radius="sm">
          <Group justify="space-between" gap="xs" wrap="wrap">
            <div>
              <Text size="sm" c="dimmed">
                {t('call.phone')}
              </Text>
              {phone === undefined ? (
                <Text fw={600} fz="lg" ff="monospace" data-testid="phone-masked">
                  {record.phoneMasked ?? t('call.noPhone')}
                </Text>
              ) : phone ? (
                <Anchor href={`tel:${phone}`} fw={700} fz="xl" ff="monospace" data-testid="phone-link">
                  {phone}
                </Anchor>
              ) : (
                <Text fw={600}>{t('call.noPhone')}</Text>
              )}
            </div>
            {phone === undefined && record.phoneMasked && (
              <Button size="sm" onClick={() => reveal.mutate()} loading={reveal.isPending} data-testid="reveal-phone">
                {t('call.reveal')}
              </Button>
            )}
            {phone && (
              <Button component="a" href={`tel:${phone}`} size="sm" variant="light" data-testid="dial">
                {t('call.dial')}
              </Button>
            )}
          </Group>
          {phone === undefined && (
            <Text size="xs" c="dimmed" mt={4}>
              {t('call.revealNote')}
            </Text>
          )}
        </Paper>
        <ErrorAlert error={reveal.error} />

        <CallTimer startedAt={startedAt} />

        <dl className="facts">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{t(k)}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </Stack>
    </Paper>
  );
}

/** The earlier attempts with their notes, and leaving the record (kept, or given back to the pool). */
export function RecordHistory({
  record,
  zone,
  onBack,
  onReleased,
}: {
  record: CallView;
  zone: string;
  onBack: () => void;
  onReleased: () => void;
}) {
  const { t, lang } = useT();
  const [confirmRelease, setConfirmRelease] = useState(false);
  const release = useMutation({ mutationFn: () => interviews.release(record.id), onSuccess: onReleased });
  return (
    <Stack gap="sm">
      <Paper withBorder p="md" component="section" aria-labelledby="history-title">
        <Title order={2} size="h5" mb="xs" id="history-title">
          {t('call.history', { count: record.history.length })}
        </Title>
        {record.history.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('call.historyNone')}
          </Text>
        ) : (
          <ol className="history" data-testid="history">
            {record.history.map((a) => (
              <li key={a.startedAt}>
                <Group gap="xs" justify="space-between" wrap="wrap">
                  <Text size="sm" fw={600}>
                    {(OUTCOMES as readonly string[]).includes(a.outcome) ? t(`outcome.${a.outcome as Outcome}`) : a.outcome}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatInstant(a.startedAt, lang, zone)} · {a.interviewer}
                  </Text>
                </Group>
                {a.callbackAt && (
                  <Text size="sm">{t('call.historyCallback', { at: formatInstant(a.callbackAt, lang, zone) })}</Text>
                )}
                {a.note && (
                  <Text size="sm" className="note">
                    {a.note}
                  </Text>
                )}
              </li>
            ))}
          </ol>
        )}
      </Paper>

      <Paper withBorder p="md">
        <Stack gap="xs">
          <Button variant="default" onClick={onBack} data-testid="back-to-queue">
            {t('call.back')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('call.backNote')}
          </Text>
          <Divider />
          {confirmRelease ? (
            <Stack gap="xs">
              <Text size="sm">{t('call.releaseConfirm')}</Text>
              <Group gap="xs">
                <Button
                  color="red"
                  size="xs"
                  onClick={() => release.mutate()}
                  loading={release.isPending}
                  data-testid="release-confirm"
                >
                  {t('call.release')}
                </Button>
                <Button variant="default" size="xs" onClick={() => setConfirmRelease(false)}>
                  {t('common.cancel')}
                </Button>
              </Group>
            </Stack>
          ) : (
            <Button variant="subtle" color="red" onClick={() => setConfirmRelease(true)} data-testid="release">
              {t('call.release')}
            </Button>
          )}
          <ErrorAlert error={release.error} />
        </Stack>
      </Paper>
    </Stack>
  );
}

/** The call's length, every second (a timer region: not read out each second). */
function CallTimer({ startedAt }: { startedAt: string }) {
  const { t } = useT();
  const start = new Date(startedAt).getTime();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return (
    <Group gap="xs" align="baseline">
      <Text size="sm" c="dimmed" id="timer-label">
        {t('call.length')}
      </Text>
      <Text role="timer" aria-labelledby="timer-label" fw={700} fz="lg" ff="monospace" data-testid="call-timer">
        {formatDuration(now - start)}
      </Text>
    </Group>
  );
}
