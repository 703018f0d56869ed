import { definePolicy } from '../../platform/auth/policy.ts';

export const eventsPolicy = definePolicy({
  'events.write': ['admin', 'data_clerk'],
  'events.read': ['admin', 'board', 'analyst', 'unit_manager', 'data_clerk', 'hotline_operator'],
  /** seeing a citizen's full phone number (each reveal is audited) */
  'events.reveal_phone': ['admin', 'hotline_operator'],
  'quality.read': ['admin', 'board', 'analyst', 'unit_manager', 'data_clerk'],
});
