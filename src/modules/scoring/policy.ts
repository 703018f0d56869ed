import { definePolicy } from '../../platform/auth/policy.ts';

export const scoringPolicy = definePolicy({
  'scores.read': ['admin', 'board', 'analyst', 'unit_manager'],
  /** index definitions change every published figure: tenant-wide administrators only */
  'indices.write': ['admin'],
  'snapshots.read': ['admin', 'board', 'analyst', 'unit_manager'],
  /** freezing, correcting and publishing a period's scores */
  'snapshots.manage': ['admin', 'board'],
  /** the right of reply of a unit before publication */
  'snapshots.reply': ['admin', 'unit_manager'],
});
