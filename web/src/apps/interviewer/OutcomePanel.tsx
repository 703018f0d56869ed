// How the call ended: one of the nine outcomes, the callback time when the
// person asks to be called later, a note, and "do not call again" for a
// refusal. Stored with one button; the answers typed so far stay on an error.
import { Button, Checkbox, Group, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { ReactNode, Ref } from 'react';
import { useT } from './i18n';
import { OUTCOMES, type Outcome } from './model';
import type { CallbackProblem } from './time';

const COLORS: Record<Outcome, string> = {
  completed: 'green',
  partial: 'teal',
  refused: 'red',
  no_answer: 'gray',
  busy: 'gray',
  switched_off: 'gray',
  wrong_number: 'orange',
  not_the_person: 'orange',
  callback: 'violet',
};

export interface OutcomePanelProps {
  outcome: Outcome | null;
  onOutcome: (o: Outcome) => void;
  /** why "completed" cannot be chosen yet, if it cannot */
  completeBlocked: ReactNode | null;
  callbackAt: string;
  onCallbackAt: (v: string) => void;
  callbackMin: string;
  callbackProblem: CallbackProblem | null;
  note: string;
  onNote: (v: string) => void;
  doNotCall: boolean;
  onDoNotCall: (v: boolean) => void;
  saving: boolean;
  onSave: () => void;
  saveRef: Ref<HTMLButtonElement>;
  children?: ReactNode;
}

export function OutcomePanel(p: OutcomePanelProps) {
  const { t } = useT();
  const wantsTime = p.outcome === 'callback' || p.outcome === 'partial';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="outcome-title" data-testid="outcome-panel">
      <Stack gap="sm">
        <Title order={2} size="h4" id="outcome-title">
          {t('outcomePanel.title')}
        </Title>
        <div>
          <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs">
            {OUTCOMES.map((o) => {
              const blocked = o === 'completed' && p.completeBlocked !== null;
              return (
                <Button
                  key={o}
                  variant={p.outcome === o ? 'filled' : 'default'}
                  color={COLORS[o]}
                  aria-pressed={p.outcome === o}
                  disabled={blocked}
                  aria-describedby={blocked ? 'complete-blocked' : undefined}
                  onClick={() => p.onOutcome(o)}
                  data-testid={`outcome-${o}`}
                  styles={{ label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.2 } }}
                  h="auto"
                  mih={44}
                  py={6}
                >
                  {t(`outcome.${o}`)}
                </Button>
              );
            })}
          </SimpleGrid>
        </div>
        {p.completeBlocked !== null && (
          <Text size="sm" c="dimmed" id="complete-blocked" data-testid="complete-blocked">
            {p.completeBlocked}
          </Text>
        )}

        {p.outcome && (
          <Text size="sm" data-testid="outcome-help">
            {t(`outcomeHelp.${p.outcome}`)}
          </Text>
        )}

        {wantsTime && (
          <TextInput
            type="datetime-local"
            label={p.outcome === 'callback' ? t('outcomePanel.callbackAt') : t('outcomePanel.callbackAtPartial')}
            description={t('outcomePanel.callbackHint')}
            required={p.outcome === 'callback'}
            value={p.callbackAt}
            min={p.callbackMin}
            onChange={(e) => p.onCallbackAt(e.currentTarget.value)}
            error={p.callbackProblem ? t(`callbackProblem.${p.callbackProblem}`) : undefined}
            maw={320}
            data-testid="callback-at"
          />
        )}
        {p.outcome === 'refused' && (
          <Checkbox
            label={t('outcomePanel.doNotCall')}
            description={t('outcomePanel.doNotCallHint')}
            checked={p.doNotCall}
            onChange={(e) => p.onDoNotCall(e.currentTarget.checked)}
            data-testid="do-not-call"
          />
        )}
        <Textarea
          label={t('outcomePanel.note')}
          description={t('outcomePanel.noteHint')}
          value={p.note}
          onChange={(e) => p.onNote(e.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={5}
          maxLength={2000}
          data-testid="note"
        />
        {p.children}
        <Group>
          <Button
            ref={p.saveRef}
            size="md"
            onClick={p.onSave}
            loading={p.saving}
            disabled={p.outcome === null}
            data-testid="save-outcome"
          >
            {p.outcome ? t('outcomePanel.save', { outcome: t(`outcome.${p.outcome}`) }) : t('outcomePanel.choose')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
