// The rating tablet: paired once, then the same loop all day. Four large faces
// (a picture and a word each), the reasons as large icon-and-word buttons, an
// optional call-back number with its consent screen, and a thank-you. Nothing
// needs typing to rate. The rating is on the device's disk before "thank you"
// shows; the sync loop sends it when it can. After a rating the screen locks
// for a few seconds; a screen left alone goes back to the faces, keeping what
// was already answered.
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { conditionHolds } from '../../../../src/modules/surveys/skip-logic';
import { FACE_VALUES, Face, type FaceValue } from '../../shared/faces';
import type { Language } from '../../shared/language';
import { OptionIcon } from '../survey/icons';
import { type Key, type LocalText, local, setLanguage, useI18n } from './i18n';
import { deleteMeta, type Enrollment, getMeta, keepRating, setMeta } from './store';
import { enroll, fetchAudio, fetchConfig, type KioskConfig, KioskHttpError, SyncLoop, storedEnrollment } from './sync';

type Option = { code: string; label: LocalText; icon?: string };
type Item = {
  code: string;
  type: string;
  label: LocalText;
  required?: boolean;
  personal?: boolean;
  optionsFrom?: string;
  options?: Option[];
  showIf?: { item: string; op: 'eq' | 'ne' | 'in' | 'gte' | 'lte' | 'answered'; value?: unknown };
};
type Definition = { intro?: LocalText; consent?: LocalText; thanks?: LocalText; lists?: Record<string, Option[]>; items: Item[] };

type Screen =
  | { kind: 'loading' }
  | { kind: 'pair' }
  | { kind: 'revoked' }
  | { kind: 'empty' }
  | { kind: 'faces' }
  | { kind: 'reasons'; item: Item }
  | { kind: 'callback'; item: Item }
  | { kind: 'consent'; item: Item }
  | { kind: 'phone'; item: Item }
  | { kind: 'thanks' };

/** Voices: the text languages, and minority languages heard from recordings over Vietnamese text. */
const VOICES = ['vi', 'en', 'brv', 'pac'] as const;
type Voice = (typeof VOICES)[number];
const textLanguage = (v: Voice): Language => (v === 'en' ? 'en' : 'vi');

export function App() {
  const { t, lang } = useI18n();
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });
  const [enrollment, setEnrollment] = useState<Enrollment>();
  const [config, setConfig] = useState<KioskConfig>();
  const [unsent, setUnsent] = useState(0);
  const [voice, setVoice] = useState<Voice>(lang);
  const sync = useRef<SyncLoop>(null);
  const draft = useRef<{ answers: Record<string, unknown>; startedAt: string; consent?: boolean } | null>(null);
  const [locked, setLocked] = useState(false);
  const retry = useRef<ReturnType<typeof setTimeout>>(undefined);
  const startRef = useRef<(e: Enrollment) => Promise<void>>(undefined);

  const start = useCallback(async (e: Enrollment) => {
    setEnrollment(e);
    // The configuration kept from the last start shows the faces at once; a fresh one follows.
    const kept = await getMeta<KioskConfig>('config');
    if (kept) setConfig(kept);
    const fresh = fetchConfig(e.credential).then(
      async (c) => {
        await setMeta('config', c);
        setConfig(c);
        return true;
      },
      (err) => {
        if (err instanceof KioskHttpError && err.status === 401) setScreen({ kind: 'revoked' });
        return false;
      },
    );
    // Without a kept one, wait for it, trying again while the network is down.
    if (!kept && !(await fresh)) {
      retry.current = setTimeout(() => void startRef.current?.(e), 10_000);
      return;
    }
    sync.current?.stop();
    const loop = new SyncLoop(e.credential);
    sync.current = loop;
    loop.subscribe((s) => {
      setUnsent(s.unsent);
      if (s.revoked) setScreen({ kind: 'revoked' });
    });
    loop.kick();
    setScreen((s) => (s.kind === 'revoked' ? s : { kind: 'faces' }));
  }, []);

  startRef.current = start;
  useEffect(() => {
    void storedEnrollment().then((e) => (e ? start(e) : setScreen({ kind: 'pair' })));
    return () => {
      sync.current?.stop();
      clearTimeout(retry.current);
    };
  }, [start]);

  useEffect(() => {
    if (config) sync.current?.startHeartbeat(config.behaviour.heartbeatSeconds);
  }, [config]);

  const def = config?.instrument?.definition as Definition | undefined;
  const items = def?.items ?? [];
  const faces = items.find((i) => i.type === 'faces');

  /** Plays a prompt's recording in the chosen voice, else reads the text (unless only a recording will do). */
  const say = useCallback(
    async (prompt: string, text: string, recordedOnly = false) => {
      if (!enrollment || !config?.instrument) return;
      const rec = config.audio.find((a) => a.prompt === prompt && a.language === voice);
      if (!rec && recordedOnly) return;
      if (rec) {
        try {
          const blob = await fetchAudio(enrollment.credential, config.instrument.code, prompt, voice);
          const audio = new Audio(URL.createObjectURL(blob));
          audio.dataset.prompt = prompt;
          document.body.dataset.playing = `${prompt}:${voice}`;
          await audio.play();
          return;
        } catch {
          // fall through to speech synthesis
        }
      }
      if ('speechSynthesis' in window) {
        const u = new SpeechSynthesisUtterance(text);
        u.lang = voice === 'en' ? 'en-US' : 'vi-VN';
        document.body.dataset.playing = `${prompt}:tts`;
        window.speechSynthesis.cancel();
        window.speechSynthesis.speak(u);
      }
    },
    [enrollment, config, voice],
  );

  /** Keeps the rating (on disk first), then thanks, locks and goes back to the faces. */
  const finish = useCallback(async () => {
    const d = draft.current;
    draft.current = null;
    if (!d || !config?.instrument) return setScreen({ kind: 'faces' });
    await keepRating({
      id: crypto.randomUUID(),
      instrument: config.instrument.code,
      version: config.instrument.version,
      startedAt: d.startedAt,
      submittedAt: new Date().toISOString(),
      answers: d.answers,
      language: voice,
      ...(d.consent !== undefined ? { consent: d.consent } : {}),
    });
    setScreen({ kind: 'thanks' });
    void say('thanks', '', true);
    setLocked(true);
    sync.current?.kick();
    setTimeout(() => {
      setLocked(false);
      // unless something else came up meanwhile (a revoked tablet)
      setScreen((s) => (s.kind === 'thanks' ? { kind: 'faces' } : s));
    }, config.behaviour.lockSeconds * 1000);
  }, [config, voice, say]);

  /** The next screen after the answers so far: reasons that apply, then a call-back offer. */
  const next = useCallback(
    (after: string) => {
      const d = draft.current;
      if (!d) return;
      const rest = items.slice(items.findIndex((i) => i.code === after) + 1);
      for (const it of rest) {
        if (!conditionHolds(it.showIf as never, d.answers as never)) continue;
        if (it.type === 'multiple' || it.type === 'single') return setScreen({ kind: 'reasons', item: it });
        if (it.type === 'phone') return setScreen({ kind: 'callback', item: it });
      }
      void finish();
    },
    [items, finish],
  );

  // A screen left alone: keep what was answered and start over.
  useEffect(() => {
    if (!config || ['faces', 'thanks', 'pair', 'revoked', 'loading', 'empty'].includes(screen.kind)) return;
    let timer = setTimeout(() => void finish(), config.behaviour.idleSeconds * 1000);
    const touched = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void finish(), config.behaviour.idleSeconds * 1000);
    };
    window.addEventListener('pointerdown', touched);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointerdown', touched);
    };
  }, [screen, config, finish]);

  const chooseVoice = (v: Voice) => {
    setVoice(v);
    setLanguage(textLanguage(v));
  };

  const listen = (prompt: string, text: string) => <ListenButton label={t('listen')} onClick={() => void say(prompt, text)} />;

  let body: ReactNode;
  switch (screen.kind) {
    case 'loading':
      body = <p className="k-status">{t('loading')}</p>;
      break;
    case 'pair':
      body = (
        <Pairing
          onEnrolled={async (e) => {
            await setMeta('enrollment', e);
            await start(e);
          }}
        />
      );
      break;
    case 'revoked':
      body = (
        <section className="k-card" data-testid="kiosk-revoked">
          <h1>{t('revoked.title')}</h1>
          <p>{t('revoked.body')}</p>
          <button
            type="button"
            className="k-button"
            onClick={async () => {
              sync.current?.stop();
              await deleteMeta('enrollment');
              setScreen({ kind: 'pair' });
            }}
          >
            {t('revoked.again')}
          </button>
        </section>
      );
      break;
    case 'empty':
      body = <p className="k-status">{t('noInstrument')}</p>;
      break;
    case 'faces': {
      if (!faces) {
        body = <p className="k-status">{t('noInstrument')}</p>;
        break;
      }
      const question = local(faces.label, lang);
      body = (
        <section className="k-screen" data-testid="kiosk-faces">
          <h1 className="k-title">{question}</h1>
          {listen(faces.code, question)}
          <FaceButtons
            confirmMs={config?.behaviour.confirmMs ?? 250}
            disabled={locked}
            label={(v) => t(`faces.${v}` as Key)}
            onChoose={(v) => {
              draft.current = { answers: { [faces.code]: v }, startedAt: new Date().toISOString() };
              // the chosen face said aloud, where it was recorded
              void say(`${faces.code}:${v}`, '', true);
              next(faces.code);
            }}
          />
        </section>
      );
      break;
    }
    case 'reasons':
      body = (
        <Reasons
          key={screen.item.code}
          item={screen.item}
          options={screen.item.options ?? def?.lists?.[screen.item.optionsFrom ?? ''] ?? []}
          lang={lang}
          listen={listen}
          onChosen={(prompt) => void say(prompt, '', true)}
          onDone={(codes) => {
            if (draft.current && codes.length) draft.current.answers[screen.item.code] = codes;
            next(screen.item.code);
          }}
        />
      );
      break;
    case 'callback': {
      const question = local(screen.item.label, lang);
      body = (
        <section className="k-screen" data-testid="kiosk-callback">
          <h1 className="k-title">{t('callback.title')}</h1>
          <p className="k-sub">{question}</p>
          {listen(screen.item.code, question)}
          <div className="k-choices">
            <button
              type="button"
              className="k-button k-button--yes"
              onClick={() => setScreen({ kind: 'consent', item: screen.item })}
            >
              {t('callback.yes')}
            </button>
            <button type="button" className="k-button" onClick={() => void finish()} data-testid="kiosk-callback-no">
              {t('callback.no')}
            </button>
          </div>
        </section>
      );
      break;
    }
    case 'consent': {
      const text = local(def?.consent, lang);
      body = (
        <section className="k-screen" data-testid="kiosk-consent">
          <h1 className="k-title">{t('consent.title')}</h1>
          <p className="k-consent">{text}</p>
          {listen('consent', text)}
          <div className="k-choices">
            <button
              type="button"
              className="k-button k-button--yes"
              onClick={() => {
                if (draft.current) draft.current.consent = true;
                setScreen({ kind: 'phone', item: screen.item });
              }}
            >
              {t('consent.agree')}
            </button>
            <button type="button" className="k-button" onClick={() => void finish()}>
              {t('consent.decline')}
            </button>
          </div>
        </section>
      );
      break;
    }
    case 'phone':
      body = (
        <PhonePad
          onDone={(phone) => {
            if (draft.current && phone) draft.current.answers[screen.item.code] = phone;
            void finish();
          }}
        />
      );
      break;
    case 'thanks': {
      const text = local(def?.thanks, lang) || t('thanks');
      body = (
        <section className="k-screen k-thanks" data-testid="kiosk-thanks" role="status">
          <Face value={4} size={120} />
          <h1 className="k-title">{text}</h1>
        </section>
      );
      break;
    }
  }

  return (
    <div className="k-app">
      <header className="k-top">
        <span className="k-unit" data-testid="kiosk-unit">
          {config?.unit.name ?? ''}
        </span>
        {config && (
          <fieldset className="k-lang" data-testid="kiosk-lang">
            <legend className="visually-hidden">{t('lang.label')}</legend>
            {VOICES.filter((v) => v === 'vi' || v === 'en' || config.audio.some((a) => a.language === v)).map((v) => (
              <button key={v} type="button" aria-pressed={voice === v} onClick={() => chooseVoice(v)}>
                {t(`lang.${v}` as Key)}
              </button>
            ))}
          </fieldset>
        )}
      </header>
      <main className="k-main">{body}</main>
      <footer className="k-foot">
        {unsent > 0 && (
          <span className="k-unsent" data-testid="kiosk-unsent" data-count={unsent}>
            {t('unsent', { count: unsent })}
          </span>
        )}
      </footer>
    </div>
  );
}

function ListenButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="k-listen" onClick={onClick} data-testid="kiosk-listen">
      <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
        <path d="M4 9v6h4l5 4V5L8 9H4z" fill="currentColor" />
        <path
          d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
        />
      </svg>
      {label}
    </button>
  );
}

/** The faces; a choice counts after a short confirmation delay, so a double tap is one rating. */
function FaceButtons({
  confirmMs,
  disabled,
  label,
  onChoose,
}: {
  confirmMs: number;
  disabled: boolean;
  label: (v: FaceValue) => string;
  onChoose: (v: FaceValue) => void;
}) {
  const [pressed, setPressed] = useState<FaceValue | null>(null);
  return (
    <div className="k-faces">
      {[...FACE_VALUES].reverse().map((v) => (
        <button
          key={v}
          type="button"
          className="k-face"
          aria-pressed={pressed === v}
          disabled={disabled || pressed !== null}
          data-testid={`kiosk-face-${v}`}
          onClick={() => {
            setPressed(v);
            setTimeout(() => {
              setPressed(null);
              onChoose(v);
            }, confirmMs);
          }}
        >
          <Face value={v} size={112} />
          <span className="k-face__word">{label(v)}</span>
        </button>
      ))}
    </div>
  );
}

function Reasons({
  item,
  options,
  lang,
  listen,
  onChosen,
  onDone,
}: {
  item: Item;
  options: Option[];
  lang: Language;
  listen: (prompt: string, text: string) => ReactNode;
  /** a reason was chosen: its prompt (list:code) */
  onChosen: (prompt: string) => void;
  onDone: (codes: string[]) => void;
}) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<string[]>([]);
  const question = local(item.label, lang);
  return (
    <section className="k-screen" data-testid="kiosk-reasons">
      <h1 className="k-title">{question}</h1>
      {listen(item.code, question)}
      <div className="k-reasons">
        {options.map((o) => (
          <button
            key={o.code}
            type="button"
            className="k-reason"
            aria-pressed={chosen.includes(o.code)}
            data-testid={`kiosk-reason-${o.code}`}
            onClick={() => {
              if (!chosen.includes(o.code)) onChosen(`${item.optionsFrom ?? item.code}:${o.code}`);
              setChosen((c) => (c.includes(o.code) ? c.filter((x) => x !== o.code) : [...c, o.code]));
            }}
          >
            {o.icon && <OptionIcon name={o.icon} />}
            <span>{local(o.label, lang)}</span>
          </button>
        ))}
      </div>
      <div className="k-choices">
        <button type="button" className="k-button k-button--yes" onClick={() => onDone(chosen)} data-testid="kiosk-send">
          {t('reasons.send')}
        </button>
        <button type="button" className="k-button" onClick={() => onDone([])}>
          {t('reasons.skip')}
        </button>
      </div>
    </section>
  );
}

/** Digits on large keys: the one place a number is entered, and only by those who asked for a call. */
function PhonePad({ onDone }: { onDone: (phone: string | undefined) => void }) {
  const { t } = useI18n();
  const [digits, setDigits] = useState('');
  const [error, setError] = useState(false);
  const press = (d: string) => {
    setError(false);
    setDigits((x) => (x.length < 11 ? x + d : x));
  };
  return (
    <section className="k-screen" data-testid="kiosk-phone">
      <h1 className="k-title">{t('phone.title')}</h1>
      <output className="k-digits" aria-live="polite" data-testid="kiosk-digits">
        {digits || '—'}
      </output>
      {error && (
        <p className="k-error" role="alert">
          {t('phone.invalid')}
        </p>
      )}
      <div className="k-pad">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
          <button key={d} type="button" className="k-key" onClick={() => press(d)} data-testid={`kiosk-key-${d}`}>
            {d}
          </button>
        ))}
        <button type="button" className="k-key" onClick={() => setDigits('')}>
          {t('phone.clear')}
        </button>
        <button type="button" className="k-key" onClick={() => press('0')} data-testid="kiosk-key-0">
          0
        </button>
        <button type="button" className="k-key" aria-label={t('phone.back')} onClick={() => setDigits((x) => x.slice(0, -1))}>
          ⌫
        </button>
      </div>
      <button
        type="button"
        className="k-button k-button--yes"
        data-testid="kiosk-phone-done"
        onClick={() => {
          if (digits === '') return onDone(undefined);
          if (!/^0\d{9}$/.test(digits)) return setError(true);
          onDone(digits);
        }}
      >
        {t('phone.done')}
      </button>
    </section>
  );
}

function Pairing({ onEnrolled }: { onEnrolled: (e: Enrollment) => Promise<void> }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [state, setState] = useState<'idle' | 'busy' | 'invalid' | 'network' | 'limited'>('idle');
  return (
    <form
      className="k-card"
      data-testid="kiosk-pair"
      onSubmit={async (e) => {
        e.preventDefault();
        setState('busy');
        try {
          await onEnrolled(await enroll(code.trim(), name.trim() || undefined));
        } catch (err) {
          setState(err instanceof KioskHttpError ? (err.status === 429 ? 'limited' : 'invalid') : 'network');
        }
      }}
    >
      <h1>{t('pair.title')}</h1>
      <p>{t('pair.body')}</p>
      <label className="k-field">
        <span>{t('pair.code')}</span>
        <input
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          autoComplete="off"
          autoCapitalize="characters"
          required
          maxLength={20}
          data-testid="kiosk-pair-code"
        />
      </label>
      <label className="k-field">
        <span>{t('pair.name')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
      </label>
      {state !== 'idle' && state !== 'busy' && (
        <p className="k-error" role="alert" data-testid="kiosk-pair-error">
          {t(`pair.${state}`)}
        </p>
      )}
      <button type="submit" className="k-button k-button--yes" disabled={state === 'busy'} data-testid="kiosk-pair-submit">
        {state === 'busy' ? t('pair.busy') : t('pair.submit')}
      </button>
    </form>
  );
}
