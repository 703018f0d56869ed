import { z } from 'zod';

export const EVENT_KINDS = ['dossier', 'outpatient', 'inpatient'] as const;
export const EVENT_STATUSES = ['received', 'processing', 'more_documents', 'returned', 'cancelled'] as const;

/** One event as unit systems send it; checked item by item so one bad item never sinks the batch. */
export const eventInputSchema = z.strictObject({
  unit: z.string().min(1).max(64).describe('unit code'),
  externalId: z.string().trim().min(1).max(100).describe('the unit’s own id: dossier code (mã hồ sơ) or patient visit id'),
  kind: z.enum(EVENT_KINDS).describe('dossier, outpatient or inpatient'),
  service: z.string().max(300).optional().describe('procedure or service code or name'),
  department: z.string().max(200).optional().describe('hospital department (khoa)'),
  receivedAt: z.string().max(40).optional().describe('ISO 8601; without an offset: tenant local time'),
  dueAt: z.string().max(40).optional().describe('promised return date (ngày hẹn trả)'),
  returnedAt: z.string().max(40).optional().describe('actual return or discharge time'),
  promisedAt: z.string().max(40).optional().describe('new promised date of a late dossier (ngày hẹn lại)'),
  status: z.enum(EVENT_STATUSES).optional().describe('default: returned when returnedAt is set, else received'),
  channel: z.enum(['counter', 'online']).optional(),
  citizen: z
    .strictObject({
      name: z.string().max(200).optional(),
      phone: z.string().max(60).optional().describe('any common writing; stored encrypted'),
      gender: z.enum(['female', 'male', 'other']).optional(),
      ethnicMinority: z.boolean().optional(),
    })
    .optional(),
});
export type EventInput = z.infer<typeof eventInputSchema>;

export const ingestBody = z.strictObject({
  events: z
    .array(z.unknown())
    .min(1)
    .max(1000)
    .describe('up to 1,000 events; each is validated on its own (see EventInput) and answered in `results`'),
});

const itemProblem = z.object({ field: z.string(), code: z.string(), message: z.string() });

export const ingestResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  results: z.array(
    z.object({
      index: z.number().int(),
      id: z.string().optional().describe('the event’s id here (survey links and responses refer to it)'),
      unit: z.string().nullable(),
      externalId: z.string().nullable(),
      result: z.enum(['created', 'updated', 'unchanged', 'rejected']),
      status: z.enum(EVENT_STATUSES).nullable().describe('the event’s status after this call'),
      errors: z.array(itemProblem),
      warnings: z.array(itemProblem).describe('problems that did not stop the event (e.g. an invalid phone number, dropped)'),
    }),
  ),
});
export type IngestResult = z.infer<typeof ingestResult>;
