import { definePolicy } from '../../platform/auth/policy.ts';

/** Rating tablets, opening hours and recorded prompts; scope from the grant's unit subtree. */
export const kioskPolicy = definePolicy({
  'devices.read': ['admin', 'board', 'analyst', 'unit_manager'],
  /** pairing codes and revocation */
  'devices.manage': ['admin', 'unit_manager'],
  'hours.read': ['admin', 'board', 'analyst', 'unit_manager', 'data_clerk'],
  'hours.write': ['admin', 'unit_manager'],
  /** holidays close every unit of the tenant */
  'holidays.write': ['admin'],
  /** idle reset and lock of every tablet of the tenant */
  'kiosk.settings': ['admin'],
  /** recorded prompts are heard at every kiosk of the tenant */
  'audio.write': ['admin'],
});
