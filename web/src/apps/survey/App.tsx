// The survey page: load the survey of /s/CODE, then either say why it cannot
// be answered, or ask for consent and go through the questions one per screen,
// send the answers (kept on the device until the server has them) and thank.
// Focus moves to each new screen's heading, so a screen reader announces it.
import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { LanguageSwitch, useI18n } from './i18n';
import { Local, Question } from './Question';
import {
  checkAnswer,
  clearPending,
  type Draft,
  type ErrorKey,
  fetchSurvey,
  isPersonal,
  loadFailureOf,
  newId,
  type PublicSurvey,
  type Raw,
  readPending,
  type Submission,
  type SubmitOutcome,
  savePending,
  sendSubmission,
  walk,
} from './survey';

type MessageKind = 'answered' | 'expired' | 'closed' | 'notFound' | 'network' | 'failed' | 'rateLimited';

type Screen =
  | { kind: 'loading' }
  | { kind: 'message'; which: MessageKind; minutes?: number | null }
  /** answers kept on the device from an earlier visit, being sent */
  | { kind: 'pending' }
  | { kind: 'consent' }
  | { kind: 'question'; code: string }
  | { kind: 'thanks' };

type Send =
  | { status: 'idle' }
  | { status: 'sending' }
  | { status: 'failed'; why: 'retry' | 'rateLimited' | 'changed' | 'invalid' };

function codeFromPath(): string {
  const m = /^\/s\/([^/?#]+)/.exec(window.location.pathname);
  try {
    return m?.[1] ? decodeURIComponent(m[1]) : '';
  } catch {
    return '';
  }
}

export function App() {
  const { t, lang } = useI18n();
  const [code] = useState(codeFromPath);
  const [survey, setSurvey] = useState<PublicSurvey | null>(null);
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });
  const [consent, setConsent] = useState(false);
  const [draft, setDraft] = useState<Draft>({});
  const [errors, setErrors] = useState<Record<string, ErrorKey>>({});
  const [send, setSend] = useState<Send>({ status: 'idle' });
  /** the response's id and start, made once per attempt and kept for every retry */
  const attempt = useRef<{ id: string; startedAt: string } | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusHeading = useRef(false);
  const busy = useRef(false);

  useEffect(() => {
    if (!focusHeading.current) return;
    focusHeading.current = false;
    headingRef.current?.focus();
  });

  /** Shows a screen; after a person's action, focus goes to its heading. */
  const show = useCallback((s: Screen, focus = true) => {
    focusHeading.current = focus;
    setScreen(s);
  }, []);

  /** What the server said about a submission, common to a fresh one and one kept from before. */
  const settle = useCallback(
    (out: SubmitOutcome): void => {
      if (out.kind === 'retry') {
        // Kept on the device: the person can send it again, now or after a reload.
        setSend({ status: 'failed', why: out.rateLimited ? 'rateLimited' : 'retry' });
        return;
      }
      clearPending(code);
      setSend({ status: 'idle' });
      if (out.kind === 'sent') show({ kind: 'thanks' });
      else if (out.kind === 'state') show({ kind: 'message', which: out.state });
    },
    [code, show],
  );

  const resendPending = useCallback(
    async (s: PublicSurvey | null) => {
      const pending = readPending(code);
      if (!pending || busy.current) return;
      busy.current = true;
      setSend({ status: 'sending' });
      const out = await sendSubmission(code, pending);
      busy.current = false;
      if (out.kind === 'invalid' || out.kind === 'changed') {
        // The questionnaire changed since: the kept answers no longer fit, so the person starts again.
        clearPending(code);
        setSend({ status: 'idle' });
        if (s?.state === 'open' && s.instrument) show({ kind: 'consent' });
        else show({ kind: 'message', which: s && s.state !== 'open' ? s.state : 'closed' });
        return;
      }
      settle(out);
    },
    [code, settle, show],
  );

  const load = useCallback(
    async (focus: boolean) => {
      if (!code) {
        show({ kind: 'message', which: 'notFound' }, focus);
        return;
      }
      setScreen({ kind: 'loading' });
      let s: PublicSurvey;
      try {
        s = await fetchSurvey(code);
      } catch (err) {
        const f = loadFailureOf(err);
        show({ kind: 'message', which: f.kind, minutes: f.kind === 'rateLimited' ? f.minutes : null }, focus);
        return;
      }
      setSurvey(s);
      if (readPending(code)) {
        show({ kind: 'pending' }, focus);
        await resendPending(s);
      } else if (s.state !== 'open' || !s.instrument)
        show({ kind: 'message', which: s.state === 'open' ? 'closed' : s.state }, focus);
      else show({ kind: 'consent' }, focus);
    },
    [code, resendPending, show],
  );

  useEffect(() => {
    void load(false);
  }, [load]);

  const instrument = survey?.instrument ?? null;
  const def = instrument?.definition;

  function start(withConsent: boolean) {
    if (!def) return;
    attempt.current ??= { id: newId(), startedAt: new Date().toISOString() };
    setConsent(withConsent);
    const first = walk(def, draft, withConsent).items[0];
    if (first) show({ kind: 'question', code: first.code });
  }

  function change(code: string, raw: Raw | undefined) {
    setDraft((d) => ({ ...d, [code]: raw }));
    if (errors[code])
      setErrors((e) => {
        const { [code]: _gone, ...rest } = e;
        return rest;
      });
  }

  async function submit() {
    if (!def || !instrument || busy.current) return;
    const { items, answers } = walk(def, draft, consent);
    attempt.current ??= { id: newId(), startedAt: new Date().toISOString() };
    const s: Submission = {
      id: attempt.current.id,
      instrument: instrument.code,
      version: instrument.version,
      answers,
      language: lang,
      consent,
      startedAt: attempt.current.startedAt,
    };
    savePending(code, s);
    busy.current = true;
    setSend({ status: 'sending' });
    const out = await sendSubmission(code, s);
    busy.current = false;
    if (out.kind === 'invalid') {
      clearPending(code);
      const found: Record<string, ErrorKey> = {};
      for (const e of out.errors) if (items.some((it) => it.code === e.item)) found[e.item] ??= e.key;
      setErrors(found);
      const first = items.find((it) => found[it.code]);
      if (first) {
        setSend({ status: 'idle' });
        show({ kind: 'question', code: first.code });
      } else setSend({ status: 'failed', why: 'invalid' });
      return;
    }
    if (out.kind === 'changed') {
      clearPending(code);
      setSend({ status: 'failed', why: 'changed' });
      return;
    }
    settle(out);
  }

  function onStep(e: FormEvent, items: ReturnType<typeof walk>['items'], index: number) {
    e.preventDefault();
    const item = items[index];
    if (!item || busy.current) return;
    const problem = checkAnswer(item, draft[item.code]);
    if (problem) {
      setErrors((x) => ({ ...x, [item.code]: problem }));
      return;
    }
    const next = items[index + 1];
    if (next) {
      setSend({ status: 'idle' });
      show({ kind: 'question', code: next.code });
    } else void submit();
  }

  function back(items: ReturnType<typeof walk>['items'], index: number) {
    if (busy.current) return;
    setSend({ status: 'idle' });
    const prev = items[index - 1];
    show(prev ? { kind: 'question', code: prev.code } : { kind: 'consent' });
  }

  let body: ReactNode;
  switch (screen.kind) {
    case 'loading':
      body = (
        <p className="loading" data-testid="survey-loading">
          {t('app.loading')}
        </p>
      );
      break;
    case 'message': {
      const w = screen.which;
      const text =
        w === 'rateLimited'
          ? screen.minutes
            ? t('state.rateLimited.body', { count: screen.minutes })
            : t('state.rateLimited.bodyNoDelay')
          : t(`state.${w}.body`);
      const canRetry = w === 'network' || w === 'failed' || w === 'rateLimited';
      body = (
        <section className="message" data-testid="survey-message" data-kind={w} aria-labelledby="screen-title">
          <h1 id="screen-title" ref={headingRef} tabIndex={-1}>
            {t(`state.${w}.title`)}
          </h1>
          <p>{text}</p>
          {canRetry && (
            <button type="button" className="btn btn--primary" onClick={() => void load(true)} data-testid="survey-reload">
              {t('state.retry')}
            </button>
          )}
        </section>
      );
      break;
    }
    case 'pending':
      body = (
        <section className="message" aria-labelledby="screen-title" data-testid="survey-pending">
          <h1 id="screen-title" ref={headingRef} tabIndex={-1}>
            {send.status === 'failed' ? t('submit.failed') : t('submit.resending')}
          </h1>
          {send.status === 'failed' && (
            <>
              <p>{send.why === 'rateLimited' ? t('submit.rateLimited') : t('submit.failedBody')}</p>
              <button
                type="button"
                className="btn btn--primary"
                onClick={() => void resendPending(survey)}
                data-testid="survey-retry"
              >
                {t('submit.retry')}
              </button>
            </>
          )}
        </section>
      );
      break;
    case 'consent': {
      if (!def || !instrument) break;
      const personal = def.items.some(isPersonal);
      body = (
        <section className="consent" aria-labelledby="screen-title" data-testid="survey-consent">
          <h1 id="screen-title" ref={headingRef} tabIndex={-1}>
            <Local text={instrument.name} lang={lang} />
          </h1>
          {def.intro && (
            <p className="intro">
              <Local text={def.intro} lang={lang} />
            </p>
          )}
          {def.consent && (
            <div className="card" data-testid="survey-consent-text">
              <p>
                <Local text={def.consent} lang={lang} />
              </p>
            </div>
          )}
          <div className="actions">
            {personal ? (
              <>
                <button type="button" className="btn btn--primary" onClick={() => start(true)} data-testid="survey-agree">
                  {t('consent.agree')}
                </button>
                <button type="button" className="btn btn--secondary" onClick={() => start(false)} data-testid="survey-anonymous">
                  {t('consent.anonymous')}
                </button>
              </>
            ) : (
              <button type="button" className="btn btn--primary" onClick={() => start(false)} data-testid="survey-start">
                {t('consent.start')}
              </button>
            )}
          </div>
        </section>
      );
      break;
    }
    case 'question': {
      if (!def) break;
      const { items } = walk(def, draft, consent);
      const index = items.findIndex((it) => it.code === screen.code);
      const item = items[index];
      if (!item) break;
      // A required item still unanswered may bring follow-up questions: it is not the last one yet.
      const opensMore = item.required && draft[item.code] === undefined && def.items.some((it) => it.showIf?.item === item.code);
      const last = index === items.length - 1 && !opensMore;
      const sending = send.status === 'sending';
      body = (
        <form noValidate onSubmit={(e) => onStep(e, items, index)} data-testid="survey-form">
          <div className="bar" aria-hidden="true">
            <span style={{ width: `${((index + 1) / items.length) * 100}%` }} />
          </div>
          <Question
            key={item.code}
            item={item}
            def={def}
            raw={draft[item.code]}
            error={errors[item.code]}
            n={index + 1}
            total={items.length}
            headingRef={headingRef}
            onChange={(raw) => change(item.code, raw)}
          />
          {last && send.status === 'failed' && (
            <div className="notice" role="alert" data-testid="survey-send-error" data-why={send.why}>
              <p className="notice__title">
                {send.why === 'changed' ? t('submit.changed') : send.why === 'invalid' ? t('submit.invalid') : t('submit.failed')}
              </p>
              {send.why === 'retry' && <p>{t('submit.failedBody')}</p>}
              {send.why === 'rateLimited' && <p>{t('submit.rateLimited')}</p>}
              {send.why === 'changed' && (
                <button type="button" className="btn btn--secondary" onClick={() => window.location.reload()}>
                  {t('submit.reload')}
                </button>
              )}
            </div>
          )}
          <div className="nav">
            <button type="button" className="btn btn--secondary" onClick={() => back(items, index)} data-testid="survey-back">
              {t('nav.back')}
            </button>
            <button
              type="submit"
              className="btn btn--primary"
              aria-disabled={sending || undefined}
              data-testid={last ? 'survey-submit' : 'survey-next'}
            >
              {last
                ? sending
                  ? t('submit.sending')
                  : send.status === 'failed' && send.why !== 'changed'
                    ? t('submit.retry')
                    : t('nav.submit')
                : t('nav.next')}
            </button>
          </div>
        </form>
      );
      break;
    }
    case 'thanks': {
      const thanks = def?.thanks;
      body = (
        <section className="thanks" aria-labelledby="screen-title" data-testid="survey-thanks">
          <svg className="thanks__mark" viewBox="0 0 48 48" width="64" height="64" aria-hidden="true" focusable="false">
            <circle cx="24" cy="24" r="22" fill="#1d6b34" />
            <path d="M13 25l7 7 15-16" fill="none" stroke="#fff" strokeWidth="4.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <h1 id="screen-title" ref={headingRef} tabIndex={-1}>
            {thanks ? <Local text={thanks} lang={lang} /> : t('thanks.title')}
          </h1>
          <p>{t('thanks.sent')}</p>
        </section>
      );
      break;
    }
  }

  const status = send.status === 'sending' ? t(screen.kind === 'pending' ? 'submit.resending' : 'submit.sending') : '';
  return (
    <>
      <header className="top">
        <div className="top__inner">
          <span className="brand">{t('app.name')}</span>
          <LanguageSwitch />
        </div>
        {survey && (
          <div className="top__unit">
            <p className="unit" data-testid="survey-unit">
              {survey.unit.name}
            </p>
            <p className="tenant">{survey.tenant}</p>
          </div>
        )}
      </header>
      <main className="page">{body}</main>
      <div className="visually-hidden" role="status" data-testid="survey-status">
        {status}
      </div>
    </>
  );
}
