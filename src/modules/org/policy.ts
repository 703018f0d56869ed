import { definePolicy } from '../../platform/auth/policy.ts';

/** Who may do what in the organisation area; scope comes from the grant's unit subtree. */
export const orgPolicy = definePolicy({
  'units.read': ['admin', 'board', 'analyst', 'unit_manager', 'data_clerk', 'interviewer', 'hotline_operator'],
  'units.write': ['admin'],
  'services.read': ['admin', 'board', 'analyst', 'unit_manager', 'data_clerk', 'interviewer', 'hotline_operator'],
  'users.manage': ['admin'],
  'tokens.manage': ['admin'],
  'audit.read': ['admin'],
});
