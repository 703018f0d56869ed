// The call in progress, kept in the tab (sessionStorage) until its outcome is
// stored: a reload, or a session that expired mid-call, loses no answer.
import type { Draft, Outcome, Step } from './model';

export interface CallWork {
  /** one per record: a partial interview is completed in place */
  responseId: string;
  /** one per outcome being stored: a retry of the same submit is recorded once */
  attemptId: string;
  startedAt: string;
  /** endedAt of the last submit that got no answer, with what it sent (to resend it unchanged) */
  sent: { key: string; endedAt: string } | null;
  draft: Draft;
  consent: boolean | undefined;
  step: Step;
  language: string;
  outcome: Outcome | null;
  callbackAt: string;
  note: string;
  doNotCall: boolean;
}

const CURRENT = 'mscore.interviewer.current';
const workKey = (id: string) => `mscore.interviewer.call.${id}`;

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // Private mode or full storage: the call lives in the page only.
  }
}

export const currentCall = () => read(CURRENT);
export const setCurrentCall = (id: string | null) => write(CURRENT, id);

export function readWork(id: string): CallWork | null {
  const raw = read(workKey(id));
  if (!raw) return null;
  try {
    const w = JSON.parse(raw) as CallWork;
    return typeof w.responseId === 'string' && typeof w.attemptId === 'string' && w.draft ? w : null;
  } catch {
    return null;
  }
}

export const saveWork = (id: string, w: CallWork) => write(workKey(id), JSON.stringify(w));

/** Forgets the call once its outcome is stored or the record is given back. */
export function endCall(id: string): void {
  write(workKey(id), null);
  if (currentCall() === id) setCurrentCall(null);
}
