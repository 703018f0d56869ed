import { Alert, Button, Code, Group, Loader, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { formatDateTime } from '../../../shared/format';
import { tryTranslate } from '../../../shared/i18n';
import type { AuditRow, AuditVerify } from '../../../shared/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSession } from '../session';

const LIMIT = 100;

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const tz = me.tenant.timeZone;
  const rows = useQuery({
    queryKey: ['audit', LIMIT],
    queryFn: ({ signal }) => api.get<AuditRow[]>(`/api/v1/audit?limit=${LIMIT}`, signal),
  });
  const verify = useMutation({ mutationFn: () => api.get<AuditVerify>('/api/v1/audit/verify') });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('audit.title')}
        </Title>
        <Group gap="xs">
          <Button variant="default" onClick={() => void rows.refetch()} loading={rows.isFetching && !rows.isPending}>
            {t('common.refresh')}
          </Button>
          <Button onClick={() => verify.mutate()} loading={verify.isPending} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        </Group>
      </Group>

      {verify.data && <VerifyResult result={verify.data} />}
      <ErrorAlert error={verify.error} />

      <Text size="sm" c="dimmed">
        {t('audit.intro', { count: LIMIT, timeZone: tz })}
      </Text>
      {rows.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={rows.error} onRetry={() => void rows.refetch()} />

      {rows.data && (
        <Table.ScrollContainer minWidth={860}>
          <Table striped verticalSpacing="xs" fz="sm" data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.seq')}</Table.Th>
                <Table.Th>{t('audit.at')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.object')}</Table.Th>
                <Table.Th>{t('audit.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed" size="sm">
                      {t('audit.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {rows.data.map((r) => (
                <Table.Tr key={r.seq} data-testid="audit-row" data-seq={r.seq}>
                  <Table.Td>{r.seq}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.at, i18n.language, tz)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.actorName ?? tryTranslate(`audit.actorType.${r.actorType}`) ?? r.actorType}</Text>
                    {r.actorName && (
                      <Text size="xs" c="dimmed">
                        {tryTranslate(`audit.actorType.${r.actorType}`) ?? r.actorType}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Code>{r.action}</Code>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>
                    {r.objectType ? (
                      <Text size="sm" ff="monospace">
                        {r.objectType}
                        {r.objectId ? `:${r.objectId}` : ''}
                      </Text>
                    ) : (
                      t('common.none')
                    )}
                  </Table.Td>
                  <Table.Td style={{ maxWidth: 360 }}>
                    <Details value={r.details} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

const SHORT = 80;

/** One line of JSON; click to show all of it. */
function Details({ value }: { value: unknown }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const empty = value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0);
  if (empty) return <>{t('common.none')}</>;
  const compact = JSON.stringify(value);
  if (compact.length <= SHORT) return <Code style={{ wordBreak: 'break-all' }}>{compact}</Code>;
  return (
    <UnstyledButton onClick={() => setOpen((o) => !o)} aria-expanded={open} title={open ? undefined : compact}>
      {open ? (
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {JSON.stringify(value, null, 2)}
        </Code>
      ) : (
        <Code style={{ wordBreak: 'break-all' }}>{`${compact.slice(0, SHORT)}…`}</Code>
      )}
    </UnstyledButton>
  );
}

function VerifyResult({ result }: { result: AuditVerify }) {
  const { t } = useTranslation();
  if (result.ok) {
    return (
      <Alert color="green" role="status" data-testid="audit-verify-result" data-ok="true">
        {t('audit.verifyOk', { count: result.checked })}
      </Alert>
    );
  }
  return (
    <Alert color="red" role="alert" data-testid="audit-verify-result" data-ok="false">
      <Text size="sm">
        {result.firstBadSeq !== null
          ? t('audit.verifyBad', { seq: result.firstBadSeq, count: result.checked })
          : t('audit.verifyBadNoSeq', { count: result.checked })}
      </Text>
      {result.problem && (
        <Text size="xs" mt={4}>
          {t('audit.verifyProblem', { problem: result.problem })}
        </Text>
      )}
    </Alert>
  );
}
