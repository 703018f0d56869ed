// Small pieces the SMS tabs share: the status badge, labels of codes that may
// be new to this console, and dates in the tenant's zone.
import { Badge, type BadgeProps, Paper, Text } from '@mantine/core';
import { formatInstant, formatPercent } from '../../../../shared/format';
import { useSession } from '../../session';
import { type SmsT, useSmsT } from './i18n';
import { DELIVERY_STATES, INBOUND_KINDS, isOneOf, type MessageStatus, SKIP_REASONS, TEMPLATE_KINDS } from './model';

// Text stays dark (or white on the two filled ones) so every badge reads at 4.5:1; the tint tells them apart.
const STATUS_STYLE: Record<MessageStatus, BadgeProps> = {
  queued: { color: 'gray', variant: 'light', c: 'dark.7' },
  sending: { color: 'cyan', variant: 'light', c: 'dark.7' },
  sent: { color: 'blue', variant: 'light', c: 'dark.7' },
  delivered: { color: 'green', variant: 'light', c: 'dark.7' },
  failed: { color: 'red.9', variant: 'filled' },
  skipped: { color: 'gray.6', variant: 'outline', c: 'dark.7' },
  uncertain: { color: 'orange', variant: 'light', c: 'dark.7' },
  dead: { color: 'dark.6', variant: 'filled' },
};

export function StatusBadge({ status, skipReason }: { status: MessageStatus; skipReason?: string | null }) {
  const { t } = useSmsT();
  const reason = status === 'skipped' && skipReason ? skipLabel(t, skipReason) : null;
  return (
    <Badge
      {...STATUS_STYLE[status]}
      style={{ minWidth: 'max-content' }}
      data-testid="sms-status"
      data-status={status}
      title={reason ?? undefined}
    >
      {t(`sms.status.${status}`)}
      {reason ? `: ${reason}` : ''}
    </Badge>
  );
}

export const skipLabel = (t: SmsT, r: string) => (isOneOf(SKIP_REASONS, r) ? t(`sms.skip.${r}`) : r);
export const deliveryLabel = (t: SmsT, s: string) => (isOneOf(DELIVERY_STATES, s) ? t(`sms.delivery.${s}`) : s);
export const kindLabel = (t: SmsT, k: string) => (isOneOf(TEMPLATE_KINDS, k) ? t(`sms.kind.${k}`) : k);
export const inboundKindLabel = (t: SmsT, k: string) => (isOneOf(INBOUND_KINDS, k) ? t(`sms.inbound.kinds.${k}`) : k);

/** Instants as "dd/mm/yyyy hh:mm" in the tenant's zone; "—" for none. */
export function useWhen() {
  const { lang } = useSmsT();
  const me = useSession();
  return (iso: string | null | undefined) => (iso ? formatInstant(iso, lang, me.tenant.timeZone) : '—');
}

/** A rate with one decimal, "—" without a denominator. */
export const rate = (v: number | null, lang: string) => (v === null ? '—' : formatPercent(v, lang));

export function Figure({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId: string }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid="figure-value">
        {value}
      </Text>
      {sub && (
        <Text size="xs" c="dimmed">
          {sub}
        </Text>
      )}
    </Paper>
  );
}
