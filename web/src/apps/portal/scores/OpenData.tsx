// Every published period as files anyone may take: JSON for software, CSV for
// a spreadsheet, with the method version and the checksum of its inputs.
import type { ReactNode } from 'react';
import { formatInstantDate } from '../../../shared/format';
import { useI18n } from '../i18n';
import { PageTitle, RouteLink, usePageTitle } from '../page';
import { paths, type SnapshotSummary, useLoad } from './api';
import { formatPeriod } from './format';
import { Empty, Failed, Loading } from './parts';

const COLUMNS = [
  'index',
  'version',
  'channel',
  'unit',
  'unit_name',
  'level',
  'n',
  'value',
  'ci_low',
  'ci_high',
  'suppressed',
  'rank',
  'band',
] as const;

export function OpenDataPage() {
  const { t, lang } = useI18n();
  usePageTitle(t('scores.openData.title'));
  const snapshots = useLoad<SnapshotSummary[]>(paths.snapshots());

  let list: ReactNode;
  if (snapshots.state === 'failed') list = <Failed onRetry={snapshots.retry} />;
  else if (snapshots.state !== 'ok') list = <Loading />;
  else if (snapshots.data.length === 0)
    list = (
      <Empty title={t('scores.rankings.emptyTitle')}>
        <p>{t('scores.openData.empty')}</p>
      </Empty>
    );
  else
    list = (
      <ul className="cards" data-testid="open-data-list">
        {snapshots.data.map((s) => {
          const name = `${t(`scores.sector.${s.sector}`)}: ${formatPeriod(s.period, lang, t)}`;
          return (
            <li key={s.id} className="card dataset" data-testid="open-data-item" data-snapshot={s.id}>
              <h2 id={`ds-${s.id}`}>{name}</h2>
              {s.publishedAt && (
                <p className="meta">{t('scores.openData.published', { date: formatInstantDate(s.publishedAt, lang) })}</p>
              )}
              <dl className="dataset__facts">
                <div>
                  <dt>{t('scores.openData.method')}</dt>
                  <dd>
                    <code>{s.methodVersion}</code>
                  </dd>
                </div>
                <div>
                  <dt>{t('scores.openData.hash')}</dt>
                  <dd>
                    <code className="hash">{s.inputsHash}</code>
                  </dd>
                </div>
              </dl>
              <div className="actions">
                {/* Each link names its period for those who hear the links listed alone. */}
                <a className="btn btn--secondary" href={paths.snapshot(s.id, 'csv')} aria-describedby={`ds-${s.id}`}>
                  {t('scores.openData.csv')}
                </a>
                <a className="btn btn--secondary" href={paths.snapshot(s.id)} aria-describedby={`ds-${s.id}`}>
                  {t('scores.openData.json')}
                </a>
                <RouteLink
                  to={{ page: 'rankings', sector: s.sector, period: s.period }}
                  className="btn btn--secondary"
                  aria-describedby={`ds-${s.id}`}
                >
                  {t('scores.openData.view')}
                </RouteLink>
              </div>
            </li>
          );
        })}
      </ul>
    );

  return (
    <main className="page wide">
      <PageTitle>{t('scores.openData.title')}</PageTitle>
      <p className="intro">{t('scores.openData.intro')}</p>
      {list}
      <section className="card" aria-labelledby="od-columns">
        <h2 id="od-columns">{t('scores.openData.columnsTitle')}</h2>
        <dl className="columns">
          {COLUMNS.map((c) => (
            <div key={c}>
              <dt>
                <code>{c}</code>
              </dt>
              <dd>{t(`scores.openData.columns.${c}`)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card" aria-labelledby="od-other">
        <h2 id="od-other">{t('scores.openData.otherTitle')}</h2>
        <ul className="link-list">
          <li>
            <a href={paths.indices()}>{t('scores.openData.indices')}</a>
          </li>
          <li>
            <a href="/api/docs">{t('scores.openData.apiDocs')}</a>
          </li>
        </ul>
      </section>
    </main>
  );
}
