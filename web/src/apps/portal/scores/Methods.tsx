// How the scores are made, in plain words, then every index the province
// publishes as the methodology API describes it (name, meaning, source).
import type { Language } from '../../../shared/language';
import { SECTORS, type Sector, SURVEY_CHANNELS, type SurveyChannel } from '../../../shared/types';
import { useI18n } from '../i18n';
import { PageTitle, RouteLink, usePageTitle } from '../page';
import { HEADLINE, type IndexInfo } from './api';
import { scaleText } from './format';
import { BandChip, Failed, indexName, Loading, useIndices } from './parts';
import { FRAMEWORK_VI } from './strings';

const frameworkName = (f: string, lang: Language) => (lang === 'vi' ? (FRAMEWORK_VI[f] ?? f) : f);

export function MethodsPage() {
  const { t } = useI18n();
  usePageTitle(t('scores.methods.title'));
  const indices = useIndices();
  const groups: { sector: Sector | null; list: IndexInfo[] }[] = [...SECTORS, null].map((sector) => ({
    sector,
    // The index each sector's rankings show comes first.
    list: (indices.list ?? [])
      .filter((x) => x.sector === sector)
      .sort((a, b) => Number(HEADLINE.includes(b.code)) - Number(HEADLINE.includes(a.code))),
  }));

  return (
    <main className="page wide methods">
      <PageTitle>{t('scores.methods.title')}</PageTitle>
      <p className="intro">{t('scores.methods.intro')}</p>

      <section className="card" aria-labelledby="m-source">
        <h2 id="m-source">{t('scores.methods.sourceTitle')}</h2>
        <p>{t('scores.methods.source1')}</p>
        <p>{t('scores.methods.source2')}</p>
      </section>

      <section className="card" aria-labelledby="m-ci">
        <h2 id="m-ci">{t('scores.methods.ciTitle')}</h2>
        <p>{t('scores.methods.ci1')}</p>
        <p>{t('scores.methods.ci2')}</p>
        <p>{t('scores.methods.ci3')}</p>
        <p className="example">{t('scores.methods.ciExample')}</p>
      </section>

      <section className="card" aria-labelledby="m-hidden">
        <h2 id="m-hidden">{t('scores.methods.hiddenTitle')}</h2>
        <p>{t('scores.methods.hidden1')}</p>
        <p>{t('scores.methods.hidden2')}</p>
      </section>

      <section className="card" aria-labelledby="m-rank">
        <h2 id="m-rank">{t('scores.methods.rankTitle')}</h2>
        <p>{t('scores.methods.rank1')}</p>
        <p>{t('scores.methods.rank2')}</p>
        <p>{t('scores.methods.rank3')}</p>
        <h3>{t('scores.methods.bandTitle')}</h3>
        <dl className="bands">
          <div>
            <dt>
              <BandChip band="above" higherIsBetter />
            </dt>
            <dd>{t('scores.methods.bandAbove')}</dd>
          </div>
          <div>
            <dt>
              <BandChip band="around" higherIsBetter />
            </dt>
            <dd>{t('scores.methods.bandAround')}</dd>
          </div>
          <div>
            <dt>
              <BandChip band="below" higherIsBetter />
            </dt>
            <dd>{t('scores.methods.bandBelow')}</dd>
          </div>
        </dl>
        <p>{t('scores.methods.bandColour')}</p>
      </section>

      <section className="card" aria-labelledby="m-kiosk">
        <h2 id="m-kiosk">{t('scores.methods.kioskTitle')}</h2>
        <p>{t('scores.methods.kiosk1')}</p>
        <p>{t('scores.methods.kiosk2')}</p>
        <p>
          <strong>{t('scores.methods.kiosk3')}</strong>
        </p>
        <p>{t('scores.methods.kiosk4')}</p>
      </section>

      <section className="card" aria-labelledby="m-check">
        <h2 id="m-check">{t('scores.methods.checkTitle')}</h2>
        <p>{t('scores.methods.check1')}</p>
        <p>
          {t('scores.methods.check2')} <RouteLink to={{ page: 'open-data' }}>{t('nav.openData')}</RouteLink>.
        </p>
      </section>

      <section aria-labelledby="m-indices" data-testid="methods-indices">
        <h2 id="m-indices">{t('scores.methods.indicesTitle')}</h2>
        <p>{t('scores.methods.indicesIntro')}</p>
        {indices.failed ? (
          <Failed onRetry={indices.retry} />
        ) : indices.list === null ? (
          <Loading />
        ) : (
          groups.map(
            (g) =>
              g.list.length > 0 && (
                <section key={g.sector ?? 'all'} aria-labelledby={`m-sector-${g.sector ?? 'all'}`}>
                  <h3 id={`m-sector-${g.sector ?? 'all'}`}>
                    {g.sector ? t(`scores.sector.${g.sector}`) : t('scores.methods.allSectors')}
                  </h3>
                  <ul className="cards">
                    {g.list.map((x) => (
                      <IndexEntry key={x.code} x={x} />
                    ))}
                  </ul>
                </section>
              ),
          )
        )}
      </section>
    </main>
  );
}

function IndexEntry({ x }: { x: IndexInfo }) {
  const { t, lang } = useI18n();
  const channels = x.channels.map((c) => (isChannel(c) ? t(`scores.channel.${c}`) : c)).join(', ');
  return (
    <li className="card index-entry" data-testid="methods-index" data-index={x.code}>
      <h4>{indexName(x, x.code, lang)}</h4>
      {x.description && <p>{x.description[lang] || x.description.vi}</p>}
      <ul className="facts-inline">
        <li>
          {scaleText(x.display, lang, t)}. {t(x.higherIsBetter ? 'scores.scale.higher' : 'scores.scale.lower')}
        </li>
        <li>{channels ? t('scores.methods.channels', { channels }) : t('scores.methods.fromEvents')}</li>
        {x.framework && <li>{t('scores.methods.framework', { framework: frameworkName(x.framework, lang) })}</li>}
      </ul>
    </li>
  );
}

const isChannel = (c: string): c is SurveyChannel => (SURVEY_CHANNELS as readonly string[]).includes(c);
