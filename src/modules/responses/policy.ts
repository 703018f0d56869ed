import { definePolicy } from '../../platform/auth/policy.ts';

export const responsesPolicy = definePolicy({
  /** submit responses (interviewers, hotline, unit systems through tokens) */
  'responses.write': ['admin', 'interviewer', 'data_clerk', 'hotline_operator'],
  'responses.read': ['admin', 'board', 'analyst', 'unit_manager'],
});
