import {
  Alert,
  Badge,
  Button,
  CloseButton,
  Group,
  Loader,
  Modal,
  PasswordInput,
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
import { ApiError, api } from '../../../shared/api';
import { tryTranslate } from '../../../shared/i18n';
import type { Grant, Role, User } from '../../../shared/types';
import { ConfirmModal } from '../components/ConfirmModal';
import { ErrorAlert } from '../components/ErrorAlert';
import { RoleSelect, toUnitCode, UnitSelect, WHOLE_TENANT } from '../components/selects';
import { can, queryClient, useSession } from '../session';
import { useUnits } from './UnitsPage';

const USERS_KEY = ['users'] as const;
const refreshUsers = () => queryClient.invalidateQueries({ queryKey: USERS_KEY });

type Pending =
  | { kind: 'grant'; user: User }
  | { kind: 'revoke'; user: User; grant: Grant }
  | { kind: 'disable'; user: User }
  | null;

export function UsersPage() {
  const { t } = useTranslation();
  const me = useSession();
  const users = useQuery({ queryKey: USERS_KEY, queryFn: ({ signal }) => api.get<User[]>('/api/v1/users', signal) });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);

  const setDisabled = useMutation({
    mutationFn: ({ user, disabled }: { user: User; disabled: boolean }) =>
      api.patch<User>(`/api/v1/users/${encodeURIComponent(user.id)}`, { disabled }),
    onSuccess: () => {
      setPending(null);
      void refreshUsers();
    },
  });
  const revoke = useMutation({
    mutationFn: ({ user, grant }: { user: User; grant: Grant }) =>
      api.delete(`/api/v1/users/${encodeURIComponent(user.id)}/grants/${encodeURIComponent(grant.id)}`),
    onSuccess: (_r, { user }) => {
      setPending(null);
      void refreshUsers();
      if (user.id === me.user?.id) void queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });

  const closePending = () => {
    setPending(null);
    setDisabled.reset();
    revoke.reset();
  };
  const unitLabel = (g: Grant) => g.unitCode ?? t('common.wholeTenant');

  // One confirmation dialog serves both destructive actions, so only one is ever in the page.
  let confirm: {
    title: string;
    message: string;
    label: string;
    mutation: { isPending: boolean; error: unknown };
    run: () => void;
  } | null = null;
  if (pending?.kind === 'revoke') {
    const vars = { role: t(`role.${pending.grant.role}`), unit: unitLabel(pending.grant) };
    confirm = {
      title: t('users.revokeGrant', vars),
      message: t('users.revokeGrantConfirm', { ...vars, user: pending.user.displayName }),
      label: t('tokens.revoke'),
      mutation: revoke,
      run: () => revoke.mutate(pending),
    };
  } else if (pending?.kind === 'disable') {
    confirm = {
      title: t('users.disable'),
      message: t('users.disableConfirm', { user: pending.user.displayName }),
      label: t('users.disable'),
      mutation: setDisabled,
      run: () => setDisabled.mutate({ user: pending.user, disabled: true }),
    };
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('users.title')}
        </Title>
        <Button onClick={() => setCreating(true)} data-testid="user-create">
          {t('users.create')}
        </Button>
      </Group>

      {created && (
        <Alert color="green" role="status" withCloseButton onClose={() => setCreated(null)} closeButtonLabel={t('common.close')}>
          {t('users.created', { username: created })}
        </Alert>
      )}
      {users.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />
      {setDisabled.error && !pending && <ErrorAlert error={setDisabled.error} />}

      {users.data && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="users-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.username')}</Table.Th>
                <Table.Th>{t('users.displayName')}</Table.Th>
                <Table.Th>{t('users.roles')}</Table.Th>
                <Table.Th>{t('users.status')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" size="sm">
                      {t('users.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {users.data.map((u) => {
                const self = u.id === me.user?.id;
                return (
                  <Table.Tr key={u.id} data-testid="user-row" data-username={u.username}>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {u.username}
                      </Text>
                      {self && (
                        <Text size="xs" c="dimmed">
                          ({t('users.you')})
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{u.displayName}</Text>
                      {u.phoneMasked && (
                        <Text size="xs" c="dimmed">
                          {u.phoneMasked}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {u.grants.length === 0 && (
                          <Text size="xs" c="dimmed">
                            {t('users.noGrants')}
                          </Text>
                        )}
                        {u.grants.map((g) => (
                          <Badge
                            key={g.id}
                            variant="light"
                            color={g.role === 'admin' ? 'red' : 'blue'}
                            title={g.unitName ?? t('common.wholeTenant')}
                            data-testid="user-grant"
                            pr={3}
                            rightSection={
                              <CloseButton
                                size="xs"
                                variant="transparent"
                                aria-label={t('users.revokeGrant', { role: t(`role.${g.role}`), unit: unitLabel(g) })}
                                onClick={() => setPending({ kind: 'revoke', user: u, grant: g })}
                                data-testid="grant-revoke"
                              />
                            }
                          >
                            {t(`role.${g.role}`)} · {unitLabel(g)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={u.disabled ? 'gray' : 'green'} variant="dot" data-testid="user-status">
                        {u.disabled ? t('users.disabled') : t('users.active')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="compact-sm"
                          variant="light"
                          onClick={() => setPending({ kind: 'grant', user: u })}
                          data-testid="grant-open"
                        >
                          {t('users.grant')}
                        </Button>
                        {u.disabled ? (
                          <Button
                            size="compact-sm"
                            variant="subtle"
                            loading={setDisabled.isPending && setDisabled.variables?.user.id === u.id}
                            onClick={() => setDisabled.mutate({ user: u, disabled: false })}
                            data-testid="user-enable"
                          >
                            {t('users.enable')}
                          </Button>
                        ) : (
                          !self && (
                            <Button
                              size="compact-sm"
                              variant="subtle"
                              color="red"
                              onClick={() => setPending({ kind: 'disable', user: u })}
                              data-testid="user-disable"
                            >
                              {t('users.disable')}
                            </Button>
                          )
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <CreateUserModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(u) => {
          setCreating(false);
          setCreated(u.username);
        }}
      />
      <GrantModal
        user={pending?.kind === 'grant' ? pending.user : null}
        onClose={closePending}
        unitsEnabled={can(me, 'units.read')}
      />
      <ConfirmModal
        opened={confirm !== null}
        title={confirm?.title ?? ''}
        message={confirm?.message ?? ''}
        confirmLabel={confirm?.label ?? ''}
        pending={confirm?.mutation.isPending}
        error={confirm?.mutation.error}
        onClose={closePending}
        onConfirm={() => confirm?.run()}
      />
    </Stack>
  );
}

/** Puts problem codes on the form field they concern; the rest is shown above the buttons. */
function fieldError(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const byCode: Record<string, string> = {
    'user.username_taken': 'username',
    'password.too_short': 'password',
    'password.too_long': 'password',
    'password.too_common': 'password',
    'phone.invalid': 'phone',
  };
  if (byCode[err.code] === field) return tryTranslate(`errors.${err.code}`) ?? err.title;
  const hit = err.errors.find((e) => e.path?.replace(/^\/|^body[./]/, '').split(/[./]/)[0] === field);
  return hit ? (tryTranslate(`errors.${hit.code}`) ?? hit.message) : undefined;
}

function isFieldError(err: unknown): boolean {
  return ['username', 'displayName', 'password', 'phone'].some((f) => fieldError(err, f) !== undefined);
}

function CreateUserModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (u: User) => void }) {
  const { t } = useTranslation();
  const mobile = useMediaQuery('(max-width: 36em)');
  const empty = { username: '', displayName: '', password: '', phone: '' };
  const [form, setForm] = useState(empty);
  const set = (k: keyof typeof empty) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [k]: value }));
  };

  const create = useMutation({
    mutationFn: () =>
      api.post<User>('/api/v1/users', {
        username: form.username.trim(),
        displayName: form.displayName.trim(),
        password: form.password,
        ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
      }),
    onSuccess: (u) => {
      setForm(empty);
      void refreshUsers();
      onCreated(u);
    },
  });
  const close = () => {
    create.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const err = create.error;

  return (
    <Modal opened={opened} onClose={close} title={t('users.create')} fullScreen={mobile} centered>
      <form onSubmit={submit} data-testid="user-create-form">
        <Stack>
          <TextInput
            label={t('users.username')}
            required
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={form.username}
            onChange={set('username')}
            error={fieldError(err, 'username')}
            name="username"
          />
          <TextInput
            label={t('users.displayName')}
            required
            autoComplete="off"
            value={form.displayName}
            onChange={set('displayName')}
            error={fieldError(err, 'displayName')}
            name="displayName"
          />
          <PasswordInput
            label={t('users.password')}
            description={t('users.passwordHint')}
            required
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
            error={fieldError(err, 'password')}
            visibilityToggleButtonProps={{ 'aria-label': t('common.showPassword') }}
            name="password"
          />
          <TextInput
            label={`${t('users.phone')} (${t('common.optional')})`}
            type="tel"
            autoComplete="off"
            value={form.phone}
            onChange={set('phone')}
            error={fieldError(err, 'phone')}
            name="phone"
          />
          {err && !isFieldError(err) && <ErrorAlert error={err} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              loading={create.isPending}
              disabled={!form.username.trim() || !form.displayName.trim() || !form.password}
              data-testid="user-create-submit"
            >
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function GrantModal({ user, onClose, unitsEnabled }: { user: User | null; onClose: () => void; unitsEnabled: boolean }) {
  const { t } = useTranslation();
  const mobile = useMediaQuery('(max-width: 36em)');
  const units = useUnits(unitsEnabled && user !== null);
  const [role, setRole] = useState<Role | null>(null);
  const [unit, setUnit] = useState<string>(WHOLE_TENANT);
  const me = useSession();

  const grant = useMutation({
    mutationFn: (u: User) =>
      api.post<Grant>(`/api/v1/users/${encodeURIComponent(u.id)}/grants`, { role, unitCode: toUnitCode(unit) }),
    onSuccess: (_g, u) => {
      void refreshUsers();
      if (u.id === me.user?.id) void queryClient.invalidateQueries({ queryKey: ['me'] });
      close();
    },
  });
  const close = () => {
    setRole(null);
    setUnit(WHOLE_TENANT);
    grant.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (user && role) grant.mutate(user);
  };

  return (
    <Modal
      opened={user !== null}
      onClose={close}
      title={user ? t('users.grantTitle', { user: user.displayName }) : ''}
      fullScreen={mobile}
      centered
    >
      <form onSubmit={submit} data-testid="grant-form">
        <Stack>
          <RoleSelect label={t('users.role')} required value={role} onChange={setRole} data-testid="grant-role" />
          <UnitSelect
            label={t('users.unit')}
            placeholder={t('users.unitPlaceholder')}
            units={units.data ?? []}
            value={unit}
            onChange={setUnit}
            data-testid="grant-unit"
            rightSection={units.isFetching ? <Loader size="xs" /> : undefined}
          />
          <ErrorAlert error={units.error ?? grant.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={grant.isPending} disabled={!role} data-testid="grant-submit">
              {t('users.grant')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
