import { definePolicy } from '../../platform/auth/policy.ts';

/** Phone interview rounds and the call queue; scope from the grant's unit subtree. */
export const interviewsPolicy = definePolicy({
  /** rounds, their frames, progress, rates and interviewer productivity */
  'rounds.read': ['admin', 'board', 'analyst'],
  /** create, publish and close rounds; move records between interviewers; export */
  'rounds.manage': ['admin', 'analyst'],
  /** take records from the queue, call, record outcomes and answers */
  'interviews.conduct': ['interviewer'],
  /** the do-not-contact list every channel checks */
  'contacts.read': ['admin', 'analyst', 'hotline_operator'],
  'contacts.manage': ['admin', 'hotline_operator'],
});
