// The outcomes of a call attempt (METHODS.md section 6). No imports: the
// interviewer console and the staff console use this list too.
export const OUTCOMES = [
  'completed',
  'partial',
  'refused',
  'no_answer',
  'busy',
  'switched_off',
  'wrong_number',
  'not_the_person',
  'callback',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
