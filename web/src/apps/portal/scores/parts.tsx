// Pieces the score pages share: a figure with its interval and n, the band in
// words with a colour and a sign (never colour alone), the interval drawn as a
// bar, and the loading, failure and "nothing yet" states.
import type { ReactNode } from 'react';
import type { Language } from '../../../shared/language';
import { useI18n } from '../i18n';
import { type Band, type IndexInfo, paths, type ScoreRow, useLoad } from './api';
import { FALLBACK_DISPLAY, formatInterval, formatN, formatNumber, formatValue, scaleText, toneOfBand } from './format';

/** The index list, by code; empty until it arrives (figures then show with default decimals). */
export function useIndices(): { byCode: Map<string, IndexInfo>; list: IndexInfo[] | null; failed: boolean; retry: () => void } {
  const r = useLoad<IndexInfo[]>(paths.indices());
  const list = r.state === 'ok' ? r.data : null;
  return { byCode: new Map((list ?? []).map((x) => [x.code, x])), list, failed: r.state === 'failed', retry: r.retry };
}

export function displayOf(info: IndexInfo | undefined): IndexInfo['display'] {
  return info?.display ?? FALLBACK_DISPLAY;
}

/** The name of an index in the reader's language, or its code while the list is not there. */
export function indexName(info: IndexInfo | undefined, code: string, lang: Language): string {
  return info ? info.name[lang] || info.name.vi : code;
}

/** Why a row has no value, in words: none yet, too few, or hidden to protect a small one. */
export function hiddenReason(row: ScoreRow, lang: Language, t: ReturnType<typeof useI18n>['t'], events = false): string {
  if (row.n === 0) return t(events ? 'scores.value.noneEvents' : 'scores.value.none');
  const n = formatNumber(row.n, lang);
  if (row.n >= 10) return t('scores.value.complementary', { n });
  return t(events ? 'scores.value.smallEvents' : 'scores.value.small', { n });
}

/** "8,42 (8,21–8,63) n = 312"; a screen reader hears the interval in words instead, after n. */
export function Figure({
  row,
  display,
  big,
  events,
}: {
  row: ScoreRow;
  display: IndexInfo['display'];
  big?: boolean;
  /** counted from the lists of applications, not from answers */
  events?: boolean;
}) {
  const { t, lang } = useI18n();
  if (row.value === null || row.ciLow === null || row.ciHigh === null) {
    return (
      <p className="figure figure--hidden" data-testid="score-hidden">
        {hiddenReason(row, lang, t, events)}
      </p>
    );
  }
  const low = formatValue(row.ciLow, display, lang);
  const high = formatValue(row.ciHigh, display, lang);
  return (
    <p className={big ? 'figure figure--big' : 'figure'} data-testid="score-figure">
      <strong className="figure__value">{formatValue(row.value, display, lang)}</strong>{' '}
      <span className="figure__ci" aria-hidden="true">
        {formatInterval(row.ciLow, row.ciHigh, display, lang)}
      </span>{' '}
      <span className="figure__n">{formatN(row.n, lang)}</span>
      <span className="visually-hidden">, {t('scores.value.interval', { low, high })}</span>
    </p>
  );
}

const BAND_SIGN: Record<Band, string> = { above: '▲', around: '≈', below: '▼' };

export function BandChip({ band, higherIsBetter }: { band: Band; higherIsBetter: boolean }) {
  const { t } = useI18n();
  return (
    <span className={`band band--${toneOfBand(band, higherIsBetter)}`} data-band={band}>
      <span className="band__sign" aria-hidden="true">
        {BAND_SIGN[band]}
      </span>
      {t(`scores.band.${band}`)}
    </span>
  );
}

const clamp = (x: number) => Math.min(100, Math.max(0, x));

/**
 * The interval as a bar, the score as a dot and the provincial level as an
 * upright line, on the stretch of the scale the list shares (`domain`), whose
 * ends are written under the bar when `ends` is set. Decoration only: the
 * figures say the same in words. Percent coordinates keep the dot round at any width.
 */
export function IntervalBar({
  row,
  display,
  domain,
  reference,
  ends,
}: {
  row: ScoreRow;
  display: IndexInfo['display'];
  domain: [number, number];
  reference: number | null;
  ends?: boolean;
}) {
  const { lang } = useI18n();
  if (row.value === null || row.ciLow === null || row.ciHigh === null) return null;
  const [lo, hi] = domain;
  const at = (x: number) => clamp(((x - lo) / (hi - lo || 1)) * 100);
  const left = at(row.ciLow);
  const width = Math.max(at(row.ciHigh) - left, 0.5);
  return (
    <div className="bar" aria-hidden="true">
      <svg width="100%" height="16" aria-hidden="true" focusable="false">
        <line className="bar__track" x1="0" x2="100%" y1="8" y2="8" />
        <rect className="bar__range" x={`${left}%`} width={`${width}%`} y="4" height="8" rx="2" />
        {reference !== null && <line className="bar__ref" x1={`${at(reference)}%`} x2={`${at(reference)}%`} y1="0" y2="16" />}
        <circle className="bar__dot" cx={`${at(row.value)}%`} cy="8" r="5" />
      </svg>
      {ends && (
        <span className="bar__ends">
          <span>{formatValue(lo, { ...display, decimals: 0 }, lang)}</span>
          <span>{formatValue(hi, { ...display, decimals: 0 }, lang)}</span>
        </span>
      )}
    </div>
  );
}

/** The index a list shows: its name, what it measures, its scale and which way is better. */
export function IndexHead({
  code,
  info,
  level = 2,
  children,
}: {
  code: string;
  info: IndexInfo | undefined;
  level?: 2 | 3;
  children?: ReactNode;
}) {
  const { t, lang } = useI18n();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <div className="index-head">
      <Heading className="index-head__name">{indexName(info, code, lang)}</Heading>
      {info?.description && <p className="index-head__what">{info.description[lang] || info.description.vi}</p>}
      {info && (
        <p className="meta">
          {scaleText(info.display, lang, t)} · {t(info.higherIsBetter ? 'scores.scale.higher' : 'scores.scale.lower')}
        </p>
      )}
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="state-loading" role="status" data-testid="score-loading">
      {t('scores.state.loading')}
    </p>
  );
}

export function Failed({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <section className="card notice" aria-labelledby="failed-title" data-testid="score-failed">
      <h2 id="failed-title">{t('scores.state.failedTitle')}</h2>
      <p>{t('scores.state.failedBody')}</p>
      <button type="button" className="btn btn--primary" onClick={onRetry}>
        {t('scores.state.retry')}
      </button>
    </section>
  );
}

export function Empty({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card empty" aria-labelledby="empty-title" data-testid="score-empty">
      <h2 id="empty-title">{title}</h2>
      {children}
    </section>
  );
}
