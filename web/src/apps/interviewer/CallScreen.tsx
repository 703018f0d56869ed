// The call: the record on one side; on the other the script (introduction,
// consent, the questionnaire one item at a time with its skip logic, closing
// words), captured from the keyboard, and the outcome. Everything typed is
// kept in the tab until the server has stored the outcome.
import { Alert, Anchor, Button, Group, Kbd, List, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../shared/api';
import type { Me } from '../../shared/types';
import type { Saved } from './App';
import { isTyping, plainKey } from './components';
import { errorMessage, tryTranslate, useT } from './i18n';
import {
  type CallView,
  checkAnswer,
  draftFromPartial,
  firstOpenStep,
  isTyped,
  itemStep,
  keyAnswer,
  local,
  newId,
  type Outcome,
  type OutcomeInput,
  type Raw,
  SECOND_DIGIT_MS,
  type Step,
  stepItem,
  stepsOf,
  walk,
} from './model';
import { OutcomePanel } from './OutcomePanel';
import { RecordHistory, RecordSummary } from './RecordCard';
import { Question, TextStep } from './ScriptStep';
import { interviews } from './session';
import { type CallWork, endCall, readWork, saveWork, setCurrentCall } from './storage';
import { checkCallback, instantOfLocal, localInputOf } from './time';

/** Problems that mean the record is no longer this interviewer's to call. */
const GONE = new Set(['interview.not_found', 'interview.not_yours', 'interview.closed', 'round.not_published']);

function startWork(record: CallView): CallWork {
  const def = record.instrument.definition;
  return {
    responseId: record.responseId ?? newId(),
    attemptId: newId(),
    startedAt: new Date().toISOString(),
    sent: null,
    draft: draftFromPartial(def, record.partialAnswers),
    consent: undefined,
    step: 'intro',
    language: def.languages.includes('vi') ? 'vi' : (def.languages[0] ?? 'vi'),
    outcome: null,
    callbackAt: '',
    note: '',
    doNotCall: false,
  };
}

/** The work kept for this record: a reload goes on with the same call; a record reopened later is a new call. */
function resumeWork(record: CallView): CallWork {
  const kept = readWork(record.id);
  if (!kept) return startWork(record);
  if (kept.startedAt) return kept;
  return { ...kept, attemptId: newId(), startedAt: new Date().toISOString(), sent: null, step: 'intro' };
}

export function CallScreen({ record, me, onLeave }: { record: CallView; me: Me; onLeave: (saved: Saved | null) => void }) {
  const { t, lang: uiLang } = useT();
  const zone = me.tenant.timeZone;
  const def = record.instrument.definition;
  const [work, setWork] = useState<CallWork>(() => resumeWork(record));
  const [stepNotice, setStepNotice] = useState<string | null>(null);
  const [showErrors, setShowErrors] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [focusSave, setFocusSave] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const inputRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const saveRef = useRef<HTMLButtonElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const lastDigit = useRef<{ key: string; at: number } | null>(null);
  const lang = work.language;

  useEffect(() => saveWork(record.id, work), [record.id, work]);
  const update = useCallback((patch: Partial<CallWork>) => setWork((w) => ({ ...w, ...patch })), []);

  const w = useMemo(() => walk(def, work.draft, work.consent), [def, work.draft, work.consent]);
  const steps = useMemo(() => stepsOf(def, w, work.consent), [def, w, work.consent]);
  const step: Step = steps.includes(work.step) ? work.step : 'end';
  const code = stepItem(step);
  const item = code ? def.items.find((it) => it.code === code) : undefined;
  const typedErrors = w.items.filter((it) => checkAnswer(it, work.draft[it.code]));

  // Each step's heading takes the focus (a screen reader reads it); a field to type in takes it instead.
  const focusedStep = useRef<Step | null>(null);
  useEffect(() => {
    if (focusedStep.current === step) return;
    focusedStep.current = step;
    if (item && isTyped(item) && inputRef.current) inputRef.current.focus();
    else headingRef.current?.focus();
  }, [step, item]);

  useEffect(() => {
    if (!focusSave) return;
    setFocusSave(false);
    saveRef.current?.focus();
  }, [focusSave]);

  const goTo = useCallback(
    (s: Step) => {
      setStepNotice(null);
      lastDigit.current = null;
      update({ step: s });
    },
    [update],
  );

  const next = useCallback(() => {
    const i = steps.indexOf(step);
    if (step === 'consent') {
      if (work.consent === undefined) return setStepNotice(t('call.consentFirst'));
      return goTo(work.consent ? firstOpenStep(w, work.draft) : 'end');
    }
    if (item && checkAnswer(item, work.draft[item.code])) {
      setShowErrors(true);
      return;
    }
    if (step === 'end') {
      if (w.missing.length === 0 && work.consent !== false && !(def.consent && work.consent !== true)) {
        update({ outcome: 'completed' });
        setFocusSave(true);
      } else outcomeRef.current?.scrollIntoView({ block: 'nearest' });
      return;
    }
    const to = steps[i + 1];
    if (to) goTo(to);
  }, [steps, step, work.consent, work.draft, w, item, def.consent, goTo, update, t]);

  const previous = useCallback(() => {
    const to = steps[steps.indexOf(step) - 1];
    if (to) goTo(to);
  }, [steps, step, goTo]);

  const answer = useCallback((itemCode: string, raw: Raw | undefined) => {
    setServerErrors((e) => (itemCode in e ? Object.fromEntries(Object.entries(e).filter(([c]) => c !== itemCode)) : e));
    setWork((x) => ({ ...x, draft: { ...x.draft, [itemCode]: raw } }));
  }, []);

  const setConsent = useCallback((consent: boolean) => {
    setStepNotice(null);
    // A refusal to take part is most often the outcome of the call.
    setWork((x) => ({ ...x, consent, outcome: !consent && x.outcome === null ? 'refused' : x.outcome }));
  }, []);

  // The keys of the script: anywhere but in a field to type in and in the outcome panel.
  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (!plainKey(e) || isTyping(e.target)) return;
    const target = e.target instanceof Node ? e.target : null;
    if (target && outcomeRef.current?.contains(target)) return;
    // Enter and Space on a button or link do what the button says.
    if ((e.key === 'Enter' || e.key === ' ') && e.target instanceof HTMLElement && e.target.closest('button, a')) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      if (!e.repeat) next();
      return;
    }
    if (e.key === 'Backspace' || e.key === 'ArrowLeft') {
      e.preventDefault();
      previous();
      return;
    }
    if (e.repeat) return;
    if (step === 'consent') {
      const k = e.key.toLowerCase();
      if (k === 'y' || k === 'c') setConsent(true);
      else if (k === 'n' || k === 'k') setConsent(false);
      else return;
      e.preventDefault();
      return;
    }
    if (!item || isTyped(item)) return;
    const prev = lastDigit.current;
    const recent = prev && Date.now() - prev.at < SECOND_DIGIT_MS ? prev.key : null;
    const raw = keyAnswer(item, def, e.key, work.draft[item.code], recent);
    if (raw === undefined) return;
    e.preventDefault();
    lastDigit.current = /^[0-9]$/.test(e.key) ? { key: e.key, at: Date.now() } : null;
    answer(item.code, raw);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keys.current(e);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // ------------------------------------------------------------------ the outcome

  const now = new Date();
  const callbackProblem =
    work.outcome === 'callback' || (work.outcome === 'partial' && work.callbackAt)
      ? checkCallback(work.callbackAt, zone, now)
      : null;
  const [showCallbackProblem, setShowCallbackProblem] = useState(false);

  let completeBlocked: string | null = null;
  if (def.consent && work.consent !== true) completeBlocked = t('call.completeNeedsConsent');
  else if (w.missing.length > 0) completeBlocked = t('call.completeMissing', { count: w.missing.length });
  else if (typedErrors.length > 0) completeBlocked = t('call.completeInvalid');

  const save = useMutation({
    mutationFn: (input: OutcomeInput) => interviews.outcome(record.id, input),
    onSuccess: (result, input) => {
      endCall(record.id);
      onLeave({ outcome: input.outcome, result });
    },
    onError: (err) => {
      if (!(err instanceof ApiError) || err.status === 0 || err.status >= 500) return; // sent again unchanged
      // The server answered: nothing was stored, the next submit is a new one.
      update({ sent: null });
      if (err.code === 'response.invalid') {
        const byItem: Record<string, string> = {};
        for (const e of err.errors) {
          const it = (e as { item?: string }).item ?? e.path ?? '';
          byItem[it] ??= tryTranslate(`answerCode.${e.code}`) ?? e.message;
        }
        setServerErrors(byItem);
      }
      if (err.code === 'interview.callback_invalid') setShowCallbackProblem(true);
    },
  });

  const submit = () => {
    const outcome = work.outcome;
    if (!outcome || save.isPending) return;
    if (outcome === 'completed' && completeBlocked) return;
    if (callbackProblem) {
      setShowCallbackProblem(true);
      return;
    }
    const withAnswers = outcome === 'completed' || outcome === 'partial';
    const callbackAt =
      (outcome === 'callback' || outcome === 'partial') && work.callbackAt
        ? instantOfLocal(work.callbackAt, zone)?.toISOString()
        : undefined;
    const body: Omit<OutcomeInput, 'endedAt'> = {
      attemptId: work.attemptId,
      outcome,
      startedAt: work.startedAt,
      ...(callbackAt ? { callbackAt } : {}),
      ...(work.note.trim() ? { note: work.note.trim() } : {}),
      ...(outcome === 'refused' && work.doNotCall ? { doNotCall: true } : {}),
      ...(withAnswers
        ? {
            response: {
              id: work.responseId,
              answers: w.answers,
              language: lang,
              ...(def.consent && work.consent !== undefined ? { consent: work.consent } : {}),
            },
          }
        : {}),
    };
    // A submit sent again after no answer from the server is the same attempt, word for word.
    const key = JSON.stringify(body);
    const endedAt = work.sent?.key === key ? work.sent.endedAt : new Date().toISOString();
    update({ sent: { key, endedAt } });
    save.mutate({ ...body, endedAt });
  };

  const saveError = save.error;
  const gone = saveError instanceof ApiError && GONE.has(saveError.code);
  const retryable = saveError instanceof ApiError && (saveError.status === 0 || saveError.status >= 500);

  const leaveKeeping = () => {
    // The record stays held; reopened later it is a new call with the answers kept.
    saveWork(record.id, { ...work, startedAt: '', sent: null });
    setCurrentCall(null);
    onLeave(null);
  };
  const released = () => {
    endCall(record.id);
    onLeave(null);
  };
  const forget = () => {
    endCall(record.id);
    onLeave(null);
  };

  // ------------------------------------------------------------------ the script

  const itemIndex = item ? w.items.indexOf(item) : -1;
  const pos = steps.indexOf(step);
  let body: React.ReactNode;
  if (step === 'intro') {
    body = <TextStep kind="intro" heading={t('call.intro')} text={def.intro} lang={lang} headingRef={headingRef} />;
  } else if (step === 'consent') {
    body = (
      <TextStep kind="consent" heading={t('call.consent')} text={def.consent} lang={lang} headingRef={headingRef}>
        <fieldset className="choices" data-testid="consent-choices">
          <legend className="choices-legend">{t('call.consentQuestion')}</legend>
          <div className="tiles">
            {[true, false].map((v) => (
              <label key={String(v)} className="tile" data-chosen={work.consent === v || undefined}>
                <input
                  type="radio"
                  name="consent"
                  checked={work.consent === v}
                  onChange={() => setConsent(v)}
                  data-testid={`consent-${v ? 'yes' : 'no'}`}
                />
                <Kbd className="tile-key" aria-hidden="true">
                  {v ? 'Y' : 'N'}
                </Kbd>
                <span className="tile-label">{v ? t('call.consentYes') : t('call.consentNo')}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <Text size="sm" c="dimmed">
          {t('keys.consent')}
        </Text>
      </TextStep>
    );
  } else if (step === 'end') {
    body = (
      <TextStep
        kind="end"
        heading={t('call.end')}
        text={work.consent === false ? undefined : def.thanks}
        lang={lang}
        headingRef={headingRef}
      >
        {work.consent === false ? (
          <Alert color="orange" variant="light" data-testid="end-declined">
            {t('call.endDeclined')}
          </Alert>
        ) : w.missing.length > 0 ? (
          <Alert
            color="orange"
            variant="light"
            title={t('call.endMissing', { count: w.missing.length })}
            data-testid="end-missing"
          >
            <List size="sm">
              {w.missing.map((it) => (
                <List.Item key={it.code}>
                  <Anchor component="button" type="button" size="sm" onClick={() => goTo(itemStep(it.code))}>
                    {t('call.itemN', { n: w.items.indexOf(it) + 1 })}: {local(it.label, lang)}
                  </Anchor>
                </List.Item>
              ))}
            </List>
          </Alert>
        ) : (
          <Text data-testid="end-ready">{t('call.endReady', { count: Object.keys(w.answers).length })}</Text>
        )}
        <Text size="sm" c="dimmed">
          {t('keys.end')}
        </Text>
      </TextStep>
    );
  } else if (item) {
    body = (
      <Question
        item={item}
        def={def}
        raw={work.draft[item.code]}
        error={showErrors ? checkAnswer(item, work.draft[item.code]) : undefined}
        serverError={serverErrors[item.code]}
        n={itemIndex + 1}
        total={w.items.length}
        lang={lang}
        headingRef={headingRef}
        inputRef={inputRef}
        onChange={(raw) => answer(item.code, raw)}
        onNext={next}
        onPrevious={previous}
      />
    );
  }

  const languages = def.languages;
  return (
    <div className="call-layout" data-testid="call-screen">
      <div className="call-layout__record">
        <RecordSummary record={record} zone={zone} startedAt={work.startedAt} />
      </div>
      <div className="call-layout__main">
        <Stack gap="md">
          <Paper withBorder p="md" component="section" aria-label={t('call.script')} data-testid="script">
            <Stack gap="md">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Title order={1} size="h4" lang={record.instrument.name[uiLang] ? uiLang : 'vi'}>
                  {local(record.instrument.name, uiLang)}
                </Title>
                {languages.length > 1 && (
                  <Group gap="xs" wrap="nowrap">
                    <Text size="sm" id="script-lang-label">
                      {t('call.scriptLanguage')}
                    </Text>
                    <SegmentedControl
                      size="xs"
                      aria-labelledby="script-lang-label"
                      value={lang}
                      onChange={(v) => update({ language: v })}
                      data={languages.map((l) => ({ value: l, label: tryTranslate(`lang.${l}`) ?? l.toUpperCase() }))}
                      data-testid="script-lang"
                    />
                  </Group>
                )}
              </Group>
              {record.partialAnswers && (
                <Alert color="blue" variant="light" data-testid="resumed">
                  {t('call.resumed', { count: Object.keys(record.partialAnswers).length })}
                </Alert>
              )}
              <div className="step" data-step={step}>
                {body}
              </div>
              {stepNotice && (
                <Text c="orange.9" size="sm" role="alert">
                  {stepNotice}
                </Text>
              )}
              <Group justify="space-between">
                <Button variant="default" onClick={previous} disabled={pos <= 0} data-testid="step-previous">
                  {t('call.previous')}
                </Button>
                <Button
                  onClick={next}
                  disabled={step === 'end'}
                  rightSection={<Kbd aria-hidden="true">Enter</Kbd>}
                  data-testid="step-next"
                >
                  {t('call.next')}
                </Button>
              </Group>
              <ItemMap
                steps={steps}
                current={step}
                answered={(c) => c in w.answers}
                missing={(c) => w.missing.some((it) => it.code === c)}
                onGo={goTo}
              />
            </Stack>
          </Paper>

          <div ref={outcomeRef}>
            <OutcomePanel
              outcome={work.outcome}
              onOutcome={(o: Outcome) => {
                setShowCallbackProblem(false);
                update({ outcome: o });
              }}
              completeBlocked={completeBlocked}
              callbackAt={work.callbackAt}
              onCallbackAt={(v) => {
                setShowCallbackProblem(false);
                update({ callbackAt: v });
              }}
              callbackMin={localInputOf(now, zone)}
              callbackProblem={showCallbackProblem ? callbackProblem : null}
              note={work.note}
              onNote={(v) => update({ note: v })}
              doNotCall={work.doNotCall}
              onDoNotCall={(v) => update({ doNotCall: v })}
              saving={save.isPending}
              onSave={submit}
              saveRef={saveRef}
            >
              {saveError && (
                <Alert color="red" variant="light" role="alert" data-testid="save-error">
                  <Stack gap="xs">
                    <Text size="sm">{errorMessage(saveError)}</Text>
                    {Object.keys(serverErrors).length > 0 && (
                      <List size="sm" data-testid="save-error-items">
                        {Object.entries(serverErrors).map(([c, message]) => {
                          const it = def.items.find((x) => x.code === c);
                          const n = it ? w.items.indexOf(it) + 1 : 0;
                          return (
                            <List.Item key={c}>
                              {it && n > 0 ? (
                                <Anchor component="button" type="button" size="sm" onClick={() => goTo(itemStep(c))}>
                                  {t('call.itemN', { n })}: {local(it.label, lang)}
                                </Anchor>
                              ) : (
                                <span>{it ? local(it.label, lang) : c}</span>
                              )}{' '}
                              — {message}
                            </List.Item>
                          );
                        })}
                      </List>
                    )}
                    {retryable && <Text size="sm">{t('call.retryNote')}</Text>}
                    {gone && (
                      <Group>
                        <Button size="xs" variant="default" onClick={forget} data-testid="gone-back">
                          {t('call.goneBack')}
                        </Button>
                      </Group>
                    )}
                  </Stack>
                </Alert>
              )}
            </OutcomePanel>
          </div>
        </Stack>
      </div>
      <div className="call-layout__history">
        <RecordHistory record={record} zone={zone} onBack={leaveKeeping} onReleased={released} />
      </div>
    </div>
  );
}

/** The items of the questionnaire as a row of numbers: where the call is, what is answered, what is missing. */
function ItemMap({
  steps,
  current,
  answered,
  missing,
  onGo,
}: {
  steps: Step[];
  current: Step;
  answered: (code: string) => boolean;
  missing: (code: string) => boolean;
  onGo: (s: Step) => void;
}) {
  const { t } = useT();
  const items = steps.map(stepItem).filter((c): c is string => c !== null);
  if (items.length === 0) return null;
  // A required item shows as missing once the call has gone past it.
  const at = current === 'end' ? items.length : items.indexOf(stepItem(current) ?? '');
  return (
    <nav aria-label={t('call.map')}>
      <ol className="item-map" data-testid="item-map">
        {items.map((c, i) => {
          const state = answered(c) ? 'answered' : missing(c) && i < at ? 'missing' : 'open';
          return (
            <li key={c}>
              <button
                type="button"
                className="item-map__btn"
                data-state={state}
                aria-current={current === itemStep(c) ? 'step' : undefined}
                aria-label={t(`call.mapItem.${state}`, { n: i + 1 })}
                onClick={() => onGo(itemStep(c))}
              >
                {i + 1}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
