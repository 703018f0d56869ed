// A unit's QR survey: the address people reach by scanning the poster at the
// counter, the A4 poster to print, and a new code when the old one must stop working.
import { Alert, Anchor, Button, Code, CopyButton, Group, Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../shared/api';
import type { SurveyQr, Unit, UnitInstrument } from '../../../../shared/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { can, queryClient, useSession } from '../../session';
import { MONO } from './model';

const qrKey = (code: string) => ['survey-qr', code] as const;

export function SurveyQrModal({ unit, onClose }: { unit: Unit | null; onClose: () => void }) {
  const { t } = useTranslation();
  const mobile = useMediaQuery('(max-width: 36em)');
  return (
    <Modal
      opened={unit !== null}
      onClose={onClose}
      title={unit ? t('instruments.qr.title', { name: unit.name }) : ''}
      centered
      size="lg"
      fullScreen={mobile}
    >
      {unit && <QrBody key={unit.code} unit={unit} />}
    </Modal>
  );
}

function QrBody({ unit }: { unit: Unit }) {
  const { t } = useTranslation();
  const me = useSession();
  const [confirming, setConfirming] = useState(false);
  const [renewed, setRenewed] = useState(false);
  const path = `/api/v1/units/${encodeURIComponent(unit.code)}/survey-qr`;
  const qr = useQuery({
    queryKey: qrKey(unit.code),
    queryFn: ({ signal }) => api.get<SurveyQr>(path, signal),
    staleTime: 5 * 60_000,
  });
  // What people who scan the code will answer: the unit's web instrument.
  const effective = useQuery({
    queryKey: ['unit-instruments', unit.code],
    queryFn: ({ signal }) => api.get<UnitInstrument[]>(`/api/v1/units/${encodeURIComponent(unit.code)}/instruments`, signal),
    enabled: can(me, 'surveys.read'),
  });
  const web = effective.data?.find((r) => r.channel === 'web');
  const renew = useMutation({
    mutationFn: () => api.get<SurveyQr>(`${path}?renew=true`),
    onSuccess: (data) => {
      queryClient.setQueryData(qrKey(unit.code), data);
      setConfirming(false);
      setRenewed(true);
    },
  });

  return (
    <Stack data-testid="qr-modal">
      <Text size="sm" c="dimmed">
        {t('instruments.qr.intro')}
      </Text>
      {qr.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={qr.error} onRetry={() => void qr.refetch()} />
      {qr.data && (
        <>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput
              label={t('instruments.qr.url')}
              value={qr.data.url}
              readOnly
              onFocus={(e) => e.currentTarget.select()}
              style={{ flex: 1, minWidth: 0 }}
              styles={MONO}
              data-testid="qr-url"
            />
            <CopyButton value={qr.data.url}>
              {({ copied, copy }) => (
                <Button variant={copied ? 'light' : 'default'} color={copied ? 'teal' : undefined} onClick={copy}>
                  {copied ? t('common.copied') : t('common.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Group gap="sm">
            <Button component="a" href={qr.data.posterUrl} target="_blank" rel="noopener" variant="light" data-testid="qr-poster">
              {t('instruments.qr.poster')}
            </Button>
            <Anchor href={qr.data.url} target="_blank" rel="noopener" size="sm">
              {t('instruments.qr.openSurvey')}
            </Anchor>
          </Group>
          {effective.data &&
            (web?.instrument ? (
              <Text size="sm" data-testid="qr-instrument">
                {t('instruments.qr.instrument')} <Code>{web.instrument}</Code>
              </Text>
            ) : (
              <Alert color="orange" variant="light" data-testid="qr-instrument">
                {t('instruments.qr.noInstrument')}
              </Alert>
            ))}
          {renewed && (
            <Alert color="teal" variant="light" role="status" data-testid="qr-renewed">
              {t('instruments.qr.renewed')}
            </Alert>
          )}
          {confirming ? (
            <Alert color="red" variant="light" title={t('instruments.qr.renewTitle')} data-testid="qr-renew-dialog">
              <Stack gap="sm">
                <Text size="sm">{t('instruments.qr.renewConfirm')}</Text>
                <ErrorAlert error={renew.error} />
                <Group justify="flex-end" gap="xs">
                  <Button variant="default" size="sm" onClick={() => setConfirming(false)}>
                    {t('common.cancel')}
                  </Button>
                  <Button
                    color="red"
                    size="sm"
                    loading={renew.isPending}
                    onClick={() => renew.mutate()}
                    data-testid="qr-renew-confirm"
                  >
                    {t('instruments.qr.renewButton')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          ) : (
            <Group justify="space-between" gap="xs">
              <Text size="xs" c="dimmed" style={{ flex: '1 1 240px' }}>
                {t('instruments.qr.renewHint')}
              </Text>
              <Button
                variant="subtle"
                color="red"
                size="sm"
                onClick={() => {
                  setRenewed(false);
                  setConfirming(true);
                }}
                data-testid="qr-renew"
              >
                {t('instruments.qr.renew')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
