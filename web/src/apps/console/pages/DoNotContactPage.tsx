// The do-not-contact list every channel checks (calls, SMS, app): masked
// numbers with where the request came from; staff add and remove numbers.
import { Alert, Badge, Button, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { formatDateTime, formatNumber } from '../../../shared/format';
import { ConfirmModal } from '../components/ConfirmModal';
import { ErrorAlert } from '../components/ErrorAlert';
import { ScrollTable } from '../components/ScrollTable';
import { can, queryClient, useSession } from '../session';

type Contact = { id: string; phoneMasked: string; source: string; reason: string | null; createdAt: string };
const SOURCES = ['interview', 'sms', 'app', 'web', 'hotline', 'staff'] as const;
const isSource = (s: string): s is (typeof SOURCES)[number] => (SOURCES as readonly string[]).includes(s);

const CONTACTS_KEY = ['do-not-contact'] as const;

export function DoNotContactPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const lang = i18n.language;
  const canManage = can(me, 'contacts.manage');
  const list = useQuery({
    queryKey: CONTACTS_KEY,
    queryFn: ({ signal }) => api.get<{ total: number; items: Contact[] }>('/api/v1/do-not-contact', signal),
  });
  const [removing, setRemoving] = useState<Contact | null>(null);
  const remove = useMutation({
    mutationFn: (c: Contact) => api.delete(`/api/v1/do-not-contact/${c.id}`),
    onSuccess: () => {
      setRemoving(null);
      void queryClient.invalidateQueries({ queryKey: CONTACTS_KEY });
    },
  });
  const data = list.data;
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('contacts.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('contacts.intro')}
      </Text>
      {canManage && <AddContact />}
      {list.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      {data && (
        <>
          <Text size="sm" c="dimmed" data-testid="contacts-total">
            {data.total > data.items.length
              ? t('contacts.totalShown', { n: formatNumber(data.items.length, lang), total: formatNumber(data.total, lang) })
              : t('contacts.total', { count: data.total, n: formatNumber(data.total, lang) })}
          </Text>
          <ScrollTable minWidth={640} label={t('contacts.title')}>
            <Table striped verticalSpacing="xs" fz="sm" data-testid="contacts-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('contacts.phone')}</Table.Th>
                  <Table.Th>{t('contacts.source')}</Table.Th>
                  <Table.Th>{t('contacts.reason')}</Table.Th>
                  <Table.Th>{t('contacts.createdAt')}</Table.Th>
                  {canManage && <Table.Th>{t('common.actions')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={canManage ? 5 : 4}>
                      <Text size="sm" c="dimmed">
                        {t('contacts.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {data.items.map((c) => (
                  <Table.Tr key={c.id} data-testid="contact-row" data-id={c.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }} fw={500} data-testid="contact-phone">
                      {c.phoneMasked}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color="gray" c="dark.7" style={{ minWidth: 'max-content' }}>
                        {isSource(c.source) ? t(`contacts.sources.${c.source}`) : c.source}
                      </Badge>
                    </Table.Td>
                    <Table.Td miw={200}>
                      {c.reason ?? (
                        <Text span size="sm" c="dimmed">
                          {t('common.none')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.createdAt, lang, me.tenant.timeZone)}</Table.Td>
                    {canManage && (
                      <Table.Td>
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          onClick={() => setRemoving(c)}
                          data-testid="contact-remove"
                        >
                          {t('contacts.remove')}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </>
      )}
      <ConfirmModal
        opened={removing !== null}
        title={t('contacts.remove')}
        message={removing ? t('contacts.removeConfirm', { phone: removing.phoneMasked }) : ''}
        confirmLabel={t('contacts.remove')}
        pending={remove.isPending}
        error={remove.error}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
        onConfirm={() => removing && remove.mutate(removing)}
      />
    </Stack>
  );
}

function AddContact() {
  const { t } = useTranslation();
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<'added' | 'already' | null>(null);
  const add = useMutation({
    mutationFn: () =>
      api.post<{ added: boolean }>('/api/v1/do-not-contact', {
        phone: phone.trim(),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      }),
    onSuccess: (r) => {
      setResult(r.added ? 'added' : 'already');
      setPhone('');
      setReason('');
      void queryClient.invalidateQueries({ queryKey: CONTACTS_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    if (phone.trim().length >= 3) add.mutate();
  };
  return (
    <form onSubmit={submit} data-testid="contact-form">
      <Stack gap="xs">
        <Group align="flex-end" gap="sm">
          <TextInput
            label={t('contacts.phoneInput')}
            required
            type="tel"
            inputMode="tel"
            autoComplete="off"
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
            w={220}
            data-testid="contact-phone-input"
          />
          <TextInput
            label={t('contacts.reasonInput')}
            placeholder={t('contacts.reasonPlaceholder')}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            style={{ flex: '1 1 280px' }}
            maw={520}
            data-testid="contact-reason-input"
          />
          <Button type="submit" disabled={phone.trim().length < 3} loading={add.isPending} data-testid="contact-add">
            {t('contacts.add')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {t('contacts.addHelp')}
        </Text>
        <ErrorAlert error={add.error} testId="contact-error" />
        {result && (
          <Alert
            color={result === 'added' ? 'green' : 'blue'}
            variant="light"
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={() => setResult(null)}
            data-testid="contact-result"
          >
            {t(`contacts.${result}`)}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
