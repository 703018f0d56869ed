import { definePolicy } from '../../platform/auth/policy.ts';

/** SMS: the message log and statistics by unit (scoped), settings and templates (tenant-wide). */
export const smsPolicy = definePolicy({
  /** message log (masked numbers), delivery and reply statistics, templates */
  'sms.read': ['admin', 'board', 'analyst', 'unit_manager'],
  /** settings, gateway, templates, unit contacts, replaying failed messages */
  'sms.manage': ['admin'],
  /** citizens' messages kept for review */
  'sms.review': ['admin', 'analyst', 'hotline_operator'],
});
