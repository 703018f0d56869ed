import { definePolicy } from '../../platform/auth/policy.ts';

export const scoringPolicy = definePolicy({
  'scores.read': ['admin', 'board', 'analyst', 'unit_manager'],
  /** index definitions change every published figure: tenant-wide administrators only */
  'indices.write': ['admin'],
});
