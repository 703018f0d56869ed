import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { formatDateTime } from '../../../shared/format';
import type { ApiToken, CreatedToken, Role } from '../../../shared/types';
import { ConfirmModal } from '../components/ConfirmModal';
import { ErrorAlert } from '../components/ErrorAlert';
import { RoleSelect, toUnitCode, UnitSelect, WHOLE_TENANT } from '../components/selects';
import { can, queryClient, useSession } from '../session';
import { useUnits } from './UnitsPage';

const TOKENS_KEY = ['tokens'] as const;

export function TokensPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const tz = me.tenant.timeZone;
  const tokens = useQuery({
    queryKey: TOKENS_KEY,
    queryFn: ({ signal }) => api.get<ApiToken[]>('/api/v1/tokens', signal),
  });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const revoke = useMutation({
    mutationFn: (tok: ApiToken) => api.delete(`/api/v1/tokens/${encodeURIComponent(tok.id)}`),
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  const when = (iso: string) => formatDateTime(iso, i18n.language, tz);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('tokens.title')}
        </Title>
        <Button onClick={() => setCreating(true)} data-testid="token-create">
          {t('tokens.create')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('tokens.intro')}
      </Text>

      {tokens.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={tokens.error} onRetry={() => void tokens.refetch()} />

      {tokens.data && (
        <Table.ScrollContainer minWidth={820}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="tokens-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tokens.name')}</Table.Th>
                <Table.Th>{t('tokens.role')}</Table.Th>
                <Table.Th>{t('tokens.unit')}</Table.Th>
                <Table.Th>{t('tokens.prefix')}</Table.Th>
                <Table.Th>{t('tokens.createdAt')}</Table.Th>
                <Table.Th>{t('tokens.lastUsedAt')}</Table.Th>
                <Table.Th>{t('tokens.status')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text c="dimmed" size="sm">
                      {t('tokens.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {tokens.data.map((tok) => (
                <Table.Tr key={tok.id} data-testid="token-row" data-revoked={tok.revokedAt ? 'true' : undefined}>
                  <Table.Td>
                    <Text size="sm" fw={500} c={tok.revokedAt ? 'dimmed' : undefined}>
                      {tok.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t(`role.${tok.role}`)}</Table.Td>
                  <Table.Td>{tok.unitCode ? <Code>{tok.unitCode}</Code> : t('common.wholeTenant')}</Table.Td>
                  <Table.Td>
                    <Code>{tok.prefix}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {when(tok.createdAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }} c={tok.lastUsedAt ? undefined : 'dimmed'}>
                      {tok.lastUsedAt ? when(tok.lastUsedAt) : t('tokens.neverUsed')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {tok.revokedAt ? (
                      <Badge color="gray" variant="dot" data-testid="token-status">
                        {t('tokens.revokedAt', { date: when(tok.revokedAt) })}
                      </Badge>
                    ) : (
                      <Badge color="green" variant="dot" data-testid="token-status">
                        {t('tokens.active')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {!tok.revokedAt && (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        onClick={() => setRevoking(tok)}
                        data-testid="token-revoke"
                      >
                        {t('tokens.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} unitsEnabled={can(me, 'units.read')} />
      <ConfirmModal
        opened={revoking !== null}
        title={t('tokens.revoke')}
        message={revoking ? t('tokens.revokeConfirm', { name: revoking.name }) : ''}
        confirmLabel={t('tokens.revoke')}
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

function CreateTokenModal({ opened, onClose, unitsEnabled }: { opened: boolean; onClose: () => void; unitsEnabled: boolean }) {
  const { t } = useTranslation();
  const mobile = useMediaQuery('(max-width: 36em)');
  const units = useUnits(unitsEnabled && opened);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role | null>(null);
  const [unit, setUnit] = useState<string>(WHOLE_TENANT);
  // The secret exists only here, in memory, until the dialog closes.
  const [secret, setSecret] = useState<CreatedToken | null>(null);

  const create = useMutation({
    mutationFn: () => api.post<CreatedToken>('/api/v1/tokens', { name: name.trim(), role, unitCode: toUnitCode(unit) }),
    onSuccess: (tok) => {
      setSecret(tok);
      void queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  const close = () => {
    setName('');
    setRole(null);
    setUnit(WHOLE_TENANT);
    setSecret(null);
    create.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() && role) create.mutate();
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={secret ? t('tokens.secretTitle') : t('tokens.create')}
      fullScreen={mobile}
      centered
      closeOnClickOutside={!secret}
      closeOnEscape={!secret}
      size="lg"
    >
      {secret ? (
        <Stack data-testid="token-secret-box">
          <Alert color="orange" role="alert">
            {t('tokens.secretWarning')}
          </Alert>
          <Text size="sm" fw={500} id="token-secret-label">
            {t('tokens.secretLabel', { name: secret.name })}
          </Text>
          <Code
            block
            data-testid="token-secret"
            aria-labelledby="token-secret-label"
            style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
          >
            {secret.token}
          </Code>
          <Group justify="space-between">
            <CopyButton value={secret.token} timeout={2000}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? 'filled' : 'light'}
                  color={copied ? 'teal' : 'blue'}
                  onClick={copy}
                  data-testid="token-copy"
                >
                  {copied ? t('common.copied') : t('common.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={close} data-testid="token-secret-done">
              {t('tokens.secretDone')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} data-testid="token-create-form">
          <Stack>
            <TextInput
              label={t('tokens.name')}
              required
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              name="name"
            />
            <RoleSelect label={t('tokens.role')} required value={role} onChange={setRole} data-testid="token-role" />
            <UnitSelect
              label={t('tokens.unit')}
              placeholder={t('users.unitPlaceholder')}
              units={units.data ?? []}
              value={unit}
              onChange={setUnit}
              data-testid="token-unit"
            />
            <ErrorAlert error={units.error ?? create.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} disabled={!name.trim() || !role} data-testid="token-create-submit">
                {t('common.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
