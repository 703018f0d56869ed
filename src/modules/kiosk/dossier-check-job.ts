// Nightly: kiosk ratings that outnumber the dossiers or visits a unit handled
// that day are flagged, for the last two months (lists arrive by the 5th of
// the month after). Safe to run twice: a flag is added once.
import type { Executor } from '../../db/index.ts';
import type { JobDefinition } from '../../platform/jobs.ts';
import { localDate } from '../../platform/time.ts';
import { flagRatingsBeyondDossiers } from './misuse.ts';

export const DOSSIER_CHECK = 'kiosk.ratings-beyond-dossiers';

export async function checkRatingsAgainstDossiers(db: Executor, now = new Date()): Promise<number> {
  const tenants = await db.selectFrom('tenants').select(['id', 'time_zone']).execute();
  let flagged = 0;
  for (const t of tenants) {
    flagged += await flagRatingsBeyondDossiers(db, {
      tenantId: t.id,
      timeZone: t.time_zone,
      from: localDate(new Date(now.getTime() - 62 * 86_400_000), t.time_zone),
      to: localDate(now, t.time_zone),
    });
  }
  return flagged;
}

export function dossierCheckJob(db: Executor): JobDefinition {
  return {
    name: DOSSIER_CHECK,
    cron: '30 2 * * *',
    retryLimit: 3,
    handler: async () => {
      await checkRatingsAgainstDossiers(db);
    },
  };
}
