// Response rates of a round, a unit or an interviewer, after AAPOR's Standard
// Definitions, from the records' dispositions. Completion and cooperation are
// reported apart (METHODS.md section 2: the seed's "call success" is ambiguous).
import { sql } from 'kysely';

export type Dispositions = {
  sampled: number;
  /** records with at least one attempt */
  attempted: number;
  completed: number;
  partial: number;
  refused: number;
  /** three attempts reached nobody */
  unreachable: number;
  /** wrong number, or the number is not the person's: not eligible */
  ineligible: number;
  /** asked not to be contacted after being drawn */
  doNotCall: number;
  /** a callback is agreed: the person was reached */
  callback: number;
  /** not called yet, or waiting for its next attempt */
  pending: number;
  /** left when the round closed */
  notWorked: number;
  /** of those, people who had been reached (a callback or a partial interview to finish) */
  notWorkedReached: number;
};

export type Rate = { value: number | null; numerator: number; denominator: number };

const rate = (numerator: number, denominator: number): Rate => ({
  value: denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null,
  numerator,
  denominator,
});

/**
 * - completion: completes / sampled numbers (METHODS.md);
 * - response (RR1): completes / (sampled - not eligible);
 * - cooperation (COOP1): completes / people reached (complete, partial, refused, callback agreed, also
 *   when the round closed before the callback);
 * - contact (CON1): people reached / (sampled - not eligible);
 * - refusal (REF1): refusals / (sampled - not eligible).
 */
export function responseRates(d: Dispositions) {
  const eligible = d.sampled - d.ineligible;
  const reached = d.completed + d.partial + d.refused + d.callback + d.notWorkedReached;
  return {
    completion: rate(d.completed, d.sampled),
    response: rate(d.completed, eligible),
    cooperation: rate(d.completed, reached),
    contact: rate(reached, eligible),
    refusal: rate(d.refused, eligible),
  };
}

export function emptyDispositions(): Dispositions {
  return {
    sampled: 0,
    attempted: 0,
    completed: 0,
    partial: 0,
    refused: 0,
    unreachable: 0,
    ineligible: 0,
    doNotCall: 0,
    callback: 0,
    pending: 0,
    notWorked: 0,
    notWorkedReached: 0,
  };
}

const FIELD: Record<string, keyof Dispositions> = {
  completed: 'completed',
  partial: 'partial',
  refused: 'refused',
  unreachable: 'unreachable',
  ineligible: 'ineligible',
  do_not_call: 'doNotCall',
  callback: 'callback',
  pending: 'pending',
  not_worked: 'notWorked',
};

/** Adds `n` records of a status (how many of them were attempted, and reached before the round closed on them). */
export function addStatus(d: Dispositions, status: string, n: number, attempted: number, reached = 0): void {
  d.sampled += n;
  d.attempted += attempted;
  const f = FIELD[status];
  if (f) d[f] += n;
  if (status === 'not_worked') d.notWorkedReached += reached;
}

/** SQL condition on a record's last outcome: the round closed on it after the person had been reached. */
export const reachedBeforeClose = (lastOutcome: string) => sql`${sql.ref(lastOutcome)} in ('callback','partial')`;
