// The portal: the header with the page menu, then the page the address names
// (./route.ts). The dossier lookup lives here: the form, then either the
// dossier's status or what went wrong; focus moves to whichever appears, so a
// screen reader announces it. The score pages (./scores) arrive as a separate
// script when first opened, so the lookup stays light.
import {
  type ChangeEvent,
  Component,
  type FormEvent,
  lazy,
  type ReactNode,
  type Ref,
  Suspense,
  useEffect,
  useRef,
  useState,
} from 'react';
import { formatInstant, formatInstantDate } from '../../shared/format';
import { type Key, LanguageSwitch, useI18n } from './i18n';
import {
  CODE_MAX_LENGTH,
  type FieldErrors,
  failureOf,
  fetchDossier,
  type LookupFailure,
  type LookupInput,
  normalize,
  type PublicDossier,
  validate,
} from './lookup';
import { PageTitle, RouteLink, usePageTitle } from './page';
import { type PageName, type Route, useRoute } from './route';

const ScorePages = lazy(() => import('./scores/ScorePages'));

/** Shown with a no-break space, so the number never splits across lines. */
export const HOTLINE = '1800\u00a08081';
const HOTLINE_TEL = 'tel:18008081';

type Outcome =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'found'; dossier: PublicDossier }
  | { kind: 'failed'; failure: LookupFailure };

type FocusTarget = 'code' | 'phone4' | 'outcome';

export function App() {
  const { t } = useI18n();
  const route = useRoute();
  const wide = route.page !== 'lookup';
  return (
    <>
      <header className="top">
        <div className={wide ? 'top__inner wide' : 'top__inner'}>
          <span className="brand">{t('app.name')}</span>
          <LanguageSwitch />
        </div>
      </header>
      <SiteNav route={route} wide={wide} />
      {route.page === 'lookup' ? (
        <LookupPage />
      ) : (
        <LoadFailure>
          <Suspense
            fallback={
              <main className="page wide">
                <p className="intro" role="status">
                  {t('nav.loading')}
                </p>
              </main>
            }
          >
            <ScorePages route={route} />
          </Suspense>
        </LoadFailure>
      )}
      <footer className="foot">
        <a className={wide ? 'foot__hotline wide' : 'foot__hotline'} href={HOTLINE_TEL}>
          {t('portal.hotline', { hotline: HOTLINE })}
        </a>
      </footer>
    </>
  );
}

const MENU: { page: PageName; route: Route; label: Key }[] = [
  { page: 'lookup', route: { page: 'lookup' }, label: 'nav.lookup' },
  { page: 'rankings', route: { page: 'rankings', sector: 'administration', period: null }, label: 'nav.rankings' },
  { page: 'methods', route: { page: 'methods' }, label: 'nav.methods' },
  { page: 'open-data', route: { page: 'open-data' }, label: 'nav.openData' },
];

function SiteNav({ route, wide }: { route: Route; wide: boolean }) {
  const { t } = useI18n();
  // A unit's scorecard belongs with the rankings.
  const section = route.page === 'unit' ? 'rankings' : route.page;
  return (
    <nav className="site-nav" aria-label={t('nav.label')}>
      <ul className={wide ? 'site-nav__list wide' : 'site-nav__list'}>
        {MENU.map((m) => (
          <li key={m.page}>
            <RouteLink
              to={m.route}
              className={m.page === section ? 'site-nav__link site-nav__link--here' : 'site-nav__link'}
              current={m.page === route.page}
            >
              {t(m.label)}
            </RouteLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The score pages' script did not arrive (a dropped connection): say so, and offer to load the page again. */
class LoadFailure extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.state.failed ? <LoadFailureNotice /> : this.props.children;
  }
}

function LoadFailureNotice() {
  const { t } = useI18n();
  return (
    <main className="page wide">
      <section className="card notice" role="alert">
        <p>{t('nav.loadFailed')}</p>
        <button type="button" className="btn btn--primary" onClick={() => window.location.reload()}>
          {t('nav.retry')}
        </button>
      </section>
    </main>
  );
}

function LookupPage() {
  const { t } = useI18n();
  usePageTitle(t('portal.title'));
  // A receipt's QR code can link to /tra-cuu/?code=…; ?tenant=… picks another province.
  const [params] = useState(() => new URLSearchParams(window.location.search));
  const [values, setValues] = useState<LookupInput>({ code: params.get('code') ?? '', phone4: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const codeRef = useRef<HTMLInputElement>(null);
  const phone4Ref = useRef<HTMLInputElement>(null);
  const outcomeRef = useRef<HTMLElement>(null);
  const focusNext = useRef<FocusTarget | null>(null);
  const busy = useRef(false);
  const lastInput = useRef<LookupInput | null>(null);

  useEffect(() => {
    const target = focusNext.current;
    if (!target) return;
    focusNext.current = null;
    const el = target === 'code' ? codeRef.current : target === 'phone4' ? phone4Ref.current : outcomeRef.current;
    el?.focus();
  });

  async function run(input: LookupInput) {
    if (busy.current) return;
    busy.current = true;
    lastInput.current = input;
    setOutcome({ kind: 'loading' });
    let next: Outcome;
    try {
      next = { kind: 'found', dossier: await fetchDossier(input, params.get('tenant')) };
    } catch (err) {
      next = { kind: 'failed', failure: failureOf(err) };
    }
    busy.current = false;
    focusNext.current = 'outcome';
    setOutcome(next);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (busy.current) return;
    const input = normalize(values);
    const found = validate(input);
    setErrors(found);
    if (found.code || found.phone4) {
      focusNext.current = found.code ? 'code' : 'phone4';
      setOutcome({ kind: 'idle' });
      return;
    }
    void run(input);
  }

  const onChange = (field: keyof LookupInput) => (e: ChangeEvent<HTMLInputElement>) => {
    const value = e.target.value;
    setValues((v) => ({ ...v, [field]: value }));
    // The message stays until the field is changed, then goes: it no longer describes the value.
    if (errors[field]) setErrors((x) => ({ ...x, [field]: undefined }));
  };

  const loading = outcome.kind === 'loading';
  return (
    <main className="page">
      <PageTitle>{t('portal.title')}</PageTitle>
      <p className="intro">{t('portal.intro')}</p>
      <form className="card form" noValidate onSubmit={onSubmit} data-testid="portal-form">
        <Field
          id="code"
          label={t('portal.code.label')}
          hint={t('portal.code.hint')}
          error={errors.code && t(`portal.invalid.${errors.code}`)}
        >
          {(aria) => (
            <input
              {...aria}
              ref={codeRef}
              type="text"
              name="code"
              value={values.code}
              onChange={onChange('code')}
              maxLength={CODE_MAX_LENGTH + 20}
              autoComplete="off"
              autoCapitalize="characters"
              autoCorrect="off"
              spellCheck={false}
              enterKeyHint="next"
              data-testid="portal-code"
            />
          )}
        </Field>
        <Field
          id="phone4"
          label={t('portal.phone4.label')}
          hint={t('portal.phone4.hint')}
          error={errors.phone4 && t(`portal.invalid.${errors.phone4}`)}
        >
          {(aria) => (
            <input
              {...aria}
              ref={phone4Ref}
              type="text"
              name="phone4"
              className="digits"
              value={values.phone4}
              onChange={onChange('phone4')}
              inputMode="numeric"
              pattern="[0-9]{4}"
              autoComplete="off"
              enterKeyHint="search"
              data-testid="portal-phone4"
            />
          )}
        </Field>
        <button type="submit" className="btn btn--primary" aria-disabled={loading || undefined} data-testid="portal-submit">
          {loading ? t('portal.searching') : t('portal.submit')}
        </button>
        <p className="privacy">{t('portal.privacy')}</p>
      </form>
      <div className="visually-hidden" role="status">
        {loading ? t('portal.searching') : ''}
      </div>
      {outcome.kind === 'found' && <DossierResult ref={outcomeRef} dossier={outcome.dossier} />}
      {outcome.kind === 'failed' && (
        <FailureNotice
          ref={outcomeRef}
          failure={outcome.failure}
          onRetry={() => lastInput.current && void run(lastInput.current)}
        />
      )}
    </main>
  );
}

type FieldInputProps = { id: string; 'aria-describedby': string; 'aria-invalid': true | undefined };

/** A labelled input with its hint and, after a check failed, its error, both tied to it with aria-describedby. */
function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint: string;
  error: string | undefined;
  children: (input: FieldInputProps) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className={error ? 'field field--error' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      {error && (
        <p id={`${id}-error`} className="field__error" data-testid={`portal-${id}-error`}>
          <span className="visually-hidden">{t('portal.errorPrefix')} </span>
          {error}
        </p>
      )}
      {children({
        id,
        'aria-describedby': error ? `${id}-hint ${id}-error` : `${id}-hint`,
        'aria-invalid': error ? true : undefined,
      })}
    </div>
  );
}

type Tone = 'good' | 'bad' | 'info' | 'neutral';

function toneOf(d: PublicDossier): Tone {
  if (d.status === 'cancelled') return 'neutral';
  switch (d.timeliness) {
    case 'early':
    case 'on_time':
      return 'good';
    case 'late':
    case 'overdue':
      return 'bad';
    case 'pending':
      return 'info';
    default:
      return 'neutral';
  }
}

const ICON: Record<Tone, string> = { good: '✓', bad: '!', info: 'i', neutral: '–' };

function DossierResult({ dossier, ref }: { dossier: PublicDossier; ref: Ref<HTMLElement> }) {
  const { t, lang } = useI18n();
  const tone = toneOf(dossier);
  const sentence = t(`portal.timeliness.${dossier.status === 'cancelled' ? 'cancelled' : dossier.timeliness}`);
  const none = t('portal.result.none');
  const last = dossier.timeline.length - 1;
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card result"
      aria-labelledby="result-title"
      aria-describedby="result-summary"
      data-testid="portal-result"
    >
      <h2 id="result-title">{t('portal.result.title', { code: dossier.code })}</h2>
      <div className={`summary summary--${tone}`}>
        <span className="summary__icon" aria-hidden="true">
          {ICON[tone]}
        </span>
        <p id="result-summary" className="summary__text" data-testid="portal-sentence">
          <strong>{sentence}</strong>
          <span className="summary__status">
            {t('portal.result.status')}: {t(`event.status.${dossier.status}`)}
          </span>
        </p>
      </div>
      <dl className="facts">
        <Fact label={t('portal.result.unit')}>{dossier.unit}</Fact>
        {dossier.service && <Fact label={t('portal.result.service')}>{dossier.service}</Fact>}
        <Fact label={t('portal.result.receivedAt')}>
          {dossier.receivedAt ? <time dateTime={dossier.receivedAt}>{formatInstant(dossier.receivedAt, lang)}</time> : none}
        </Fact>
        <Fact label={t('portal.result.dueAt')}>
          {dossier.dueAt ? <time dateTime={dossier.dueAt}>{formatInstantDate(dossier.dueAt, lang)}</time> : none}
        </Fact>
        {dossier.returnedAt ? (
          <Fact label={t('portal.result.returnedAt')}>
            <time dateTime={dossier.returnedAt}>{formatInstant(dossier.returnedAt, lang)}</time>
          </Fact>
        ) : dossier.promisedAt ? (
          <Fact label={t('portal.result.promisedAt')}>
            <time dateTime={dossier.promisedAt}>{formatInstantDate(dossier.promisedAt, lang)}</time>
          </Fact>
        ) : null}
      </dl>
      <h3>{t('portal.result.timeline')}</h3>
      <ol className="timeline" data-testid="portal-timeline">
        {dossier.timeline.map((step, i) => (
          // The timeline only grows, in order: the index is a stable key.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={i} className="timeline__step" aria-current={i === last ? 'step' : undefined}>
            <span className="timeline__status">{t(`event.status.${step.status}`)}</span>
            <time dateTime={step.at}>{formatInstant(step.at, lang)}</time>
            {step.promisedAt && (
              <span className="timeline__note">
                {t('portal.result.newDate', { date: formatInstantDate(step.promisedAt, lang) })}
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const FAILURE_KEY = {
  not_found: 'notFound',
  invalid: 'invalidRequest',
  rate_limited: 'rateLimited',
  network: 'network',
  failed: 'failed',
} as const;

function FailureNotice({ failure, onRetry, ref }: { failure: LookupFailure; onRetry: () => void; ref: Ref<HTMLElement> }) {
  const { t } = useI18n();
  const key = FAILURE_KEY[failure.kind];
  let body: string;
  if (failure.kind === 'rate_limited') {
    body =
      failure.minutes === null ? t('portal.rateLimited.bodyNoDelay') : t('portal.rateLimited.body', { count: failure.minutes });
  } else {
    body = t(`portal.${FAILURE_KEY[failure.kind]}.body`, { hotline: HOTLINE });
  }
  const canRetry = failure.kind === 'network' || failure.kind === 'failed';
  const canCall = failure.kind === 'not_found' || failure.kind === 'failed';
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card notice"
      aria-labelledby="notice-title"
      aria-describedby="notice-body"
      data-testid="portal-error"
      data-kind={failure.kind}
    >
      <h2 id="notice-title">{t(`portal.${key}.title`)}</h2>
      <p id="notice-body">{body}</p>
      {(canRetry || canCall) && (
        <div className="actions">
          {canRetry && (
            <button type="button" className="btn btn--primary" onClick={onRetry} data-testid="portal-retry">
              {t('portal.retry')}
            </button>
          )}
          {canCall && (
            <a className="btn btn--secondary" href={HOTLINE_TEL}>
              {t('portal.call', { hotline: HOTLINE })}
            </a>
          )}
        </div>
      )}
    </section>
  );
}
