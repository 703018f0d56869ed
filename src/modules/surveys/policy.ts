import { definePolicy } from '../../platform/auth/policy.ts';

export const surveysPolicy = definePolicy({
  'surveys.read': ['admin', 'board', 'analyst', 'unit_manager', 'data_clerk', 'interviewer', 'hotline_operator'],
  /** create instruments, edit drafts, publish, assign to units */
  'surveys.write': ['admin'],
  /** QR posters of units and one-time survey links of service events */
  'surveys.links': ['admin', 'unit_manager', 'data_clerk'],
});
