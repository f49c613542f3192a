import { z } from 'zod';
import {
  isTimeZone,
  parseDailyInterval,
  parseLocalDate,
  scheduleProblems,
  WEEKDAYS,
  type BusinessSchedule,
  type DailyInterval,
  type Holiday,
  type Weekday,
} from '../domain/business-hours';
import { SLA_CHANNELS, type SlaChannel, TWENTY_FOUR_SEVEN } from '../domain/sla';

export { SLA_CHANNELS, type SlaChannel, TWENTY_FOUR_SEVEN };

// The `sla` section of the workspace config: business hours per team, SLA policies per
// source channel and priority, who owns each channel, the escalation ladder and reminder
// caps. Every field has a default, so an absent or empty section gives a working 24/7 setup.
// Values are normalised while parsing (durations to minutes, hours to schedules), and every
// problem carries the path of the bad value.

export const DEFAULT_TARGET_MINUTES = { first_response: 4 * 60, next_response: 8 * 60, resolution: 48 * 60 } as const;
export const DEFAULT_MAX_ITEMS_PER_DM = 10;
export const DEFAULT_DM_BATCH_MINUTES = 5;

/** A person: a user ID, an e-mail address or an @handle (names are looked up in Slack at start-up). */
export const USER_REF = /^([UW][A-Z0-9]{2,}|@[a-z0-9][a-z0-9._-]{0,79}|[^\s@]+@[^\s@]+\.[^\s@]+)$/i;
const userId = z
  .string()
  .regex(USER_REF, 'must be a Slack user ID such as U0123ABCD, an e-mail address such as ana@store.example, or an @handle');
// Keys of a map stay IDs: they are matched against the user who is reminded.
const userIdOnly = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user ID such as U0123ABCD (profile → ⋯ → Copy member ID)');
const userOrGroup = z
  .string()
  .regex(
    new RegExp(`${USER_REF.source}|^S[A-Z0-9]{2,}$`, 'i'),
    'must be a Slack user ID (U0123ABCD), user group ID (S0123ABCD), an e-mail address or an @handle',
  );

/**
 * A record whose keys are checked by `key`; a bad key is reported at its own path with the
 * key schema's message, and the values are still checked.
 */
function recordOf<K extends string, V extends z.ZodType>(key: z.ZodType<string>, value: V) {
  return z.record(key, value, {
    error: (iss) => (iss.code === 'invalid_key' ? iss.issues[0]?.message : undefined),
  }) as unknown as z.ZodType<Partial<Record<K, z.output<V>>>, Partial<Record<K, z.input<V>>>>;
}

const oneOf = <K extends string>(allowed: readonly K[], what: string) =>
  z.string().refine((k) => (allowed as readonly string[]).includes(k), {
    error: (iss) => `unknown ${what} "${String(iss.input)}": use one of ${allowed.join(', ')}`,
  });

const teamName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a team name must be lower-case letters, digits, - or _ (at most 64)');
const priorityName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a priority must be lower-case letters, digits, - or _ (at most 64)');

// ---- durations -----------------------------------------------------------------------------

const DURATION = /^(?:(\d+)h)?\s*(?:(\d+)m)?$/;

/** Minutes (a number) or "4h", "30m", "1h30m"; null switches the target off. */
const duration = z.union([z.number(), z.string(), z.null()]).transform((v, ctx): number | null => {
  if (v === null) return null;
  let minutes: number;
  if (typeof v === 'number') {
    minutes = v;
  } else {
    const text = v.trim();
    const m = DURATION.exec(text);
    if (!m || text === '') {
      const hint = /^\d+\s*d$/.test(text) ? ': give days as hours (48h), since a business day depends on the hours' : '';
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration such as 30m, 4h or 1h30m${hint}` });
      return z.NEVER;
    }
    minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  }
  if (!Number.isInteger(minutes)) {
    ctx.addIssue({ code: 'custom', message: 'must be a whole number of minutes' });
    return z.NEVER;
  }
  if (minutes <= 0) {
    ctx.addIssue({ code: 'custom', message: `must be more than zero (got ${v}); use null to switch the target off` });
    return z.NEVER;
  }
  return minutes;
});

const targetsSchema = z
  .object({ first_response: duration.optional(), next_response: duration.optional(), resolution: duration.optional() })
  .strict();
export type TargetsConfig = z.output<typeof targetsSchema>;

// ---- business hours ------------------------------------------------------------------------

const intervalText = z.string().transform((text, ctx): DailyInterval => {
  const parsed = parseDailyInterval(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

const closedText = z.string().transform((text, ctx): DailyInterval => {
  const parsed = parseDailyInterval(text);
  if (typeof parsed === 'string' || parsed.end > 1440) {
    ctx.addIssue({
      code: 'custom',
      message: typeof parsed === 'string' ? parsed : `"${text}" must lie within the date (use 24:00 for midnight)`,
    });
    return z.NEVER;
  }
  return parsed;
});

const holidayObject = z
  .object({
    date: z
      .string()
      .refine((d) => parseLocalDate(d) !== null, { error: (iss) => `"${String(iss.input)}" is not a date such as 2026-12-25` }),
    closed: z.array(closedText).min(1).optional(),
    name: z.string().max(100).optional(),
  })
  .strict();

/** "2026-12-25" (closed all day) or { date, closed: ["13:00-24:00"], name? } (closed in part). */
const holidaySchema = z.unknown().transform((v, ctx): Holiday => {
  const r = holidayObject.safeParse(typeof v === 'string' ? { date: v } : v);
  if (!r.success) {
    // A bare date string is reported at its own path, not at a `date` key it does not have.
    for (const issue of r.error.issues)
      ctx.addIssue({ code: 'custom', path: typeof v === 'string' ? [] : issue.path, message: issue.message });
    return z.NEVER;
  }
  return r.data.closed ? { date: r.data.date, closed: r.data.closed } : { date: r.data.date };
});

const hoursSchema = z
  .object({
    timezone: z.string().refine(isTimeZone, { error: (iss) => `"${String(iss.input)}" is not an IANA time zone such as Europe/Berlin` }),
    weekly: recordOf<Weekday, z.ZodArray<typeof intervalText>>(oneOf(WEEKDAYS, 'weekday'), z.array(intervalText)).default({}),
    holidays: z.array(holidaySchema).default([]),
    always_open: z.boolean().default(false),
  })
  .strict()
  .transform((h, ctx): BusinessSchedule => {
    const schedule: BusinessSchedule = { timezone: h.timezone, weekly: h.weekly, holidays: h.holidays, alwaysOpen: h.always_open };
    for (const p of scheduleProblems(schedule)) {
      if (p.path[0] === 'timezone') continue; // already reported by the refine above
      ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    }
    const seen = new Map<string, number>();
    h.holidays.forEach((d, i) => {
      if (seen.has(d.date))
        ctx.addIssue({ code: 'custom', path: ['holidays', i], message: `lists ${d.date} twice (also at holidays.${seen.get(d.date)})` });
      else seen.set(d.date, i);
    });
    return schedule;
  });

// ---- policies and escalation ---------------------------------------------------------------

const ladderSchema = z
  .object({
    warning: z.number().gt(0, 'must be more than 0%').lt(100, 'must be below 100% (the breach)').nullable().optional(),
    escalation: z.number().gt(100, 'must be above 100% (the breach)').max(1000, 'must be at most 1000%').nullable().optional(),
  })
  .strict();
export type LadderConfig = z.output<typeof ladderSchema>;

const ownership = {
  /** Person or user group mentioned on warnings and DMed on breaches. */
  owner: userOrGroup.optional(),
  /** Mentioned on warnings when a case has no owner. */
  on_duty: userOrGroup.optional(),
  /** DMed on escalation. */
  manager: userId.optional(),
};

const channelPolicySchema = z
  .object({
    hours: z.string().optional(),
    targets: targetsSchema.default({}),
    priorities: recordOf<string, typeof targetsSchema>(priorityName, targetsSchema).default({}),
    ladder: ladderSchema.optional(),
    must_escalate_immediately: z.boolean().optional(),
    ...ownership,
  })
  .strict();

const slaSectionSchema = z
  .object({
    hours: recordOf<string, typeof hoursSchema>(teamName, hoursSchema).default({}),
    defaults: z
      .object({
        hours: z.string().default(TWENTY_FOUR_SEVEN),
        targets: z
          .object({
            first_response: duration.default(DEFAULT_TARGET_MINUTES.first_response),
            next_response: duration.default(DEFAULT_TARGET_MINUTES.next_response),
            resolution: duration.default(DEFAULT_TARGET_MINUTES.resolution),
          })
          .strict()
          .prefault({}),
        priorities: recordOf<string, typeof targetsSchema>(priorityName, targetsSchema).default({}),
        ...ownership,
      })
      .strict()
      .prefault({}),
    policies: recordOf<SlaChannel, typeof channelPolicySchema>(oneOf(SLA_CHANNELS, 'channel'), channelPolicySchema).default({}),
    escalation: z
      .object({
        ladder: z
          .object({
            warning: ladderSchema.shape.warning.default(75),
            escalation: ladderSchema.shape.escalation.default(150),
          })
          .strict()
          .prefault({}),
        must_escalate_immediately: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    reminders: z
      .object({
        max_items_per_dm: z.number().int().min(1).max(50).default(DEFAULT_MAX_ITEMS_PER_DM),
        /** A DM waits this many minutes for more reminders to the same person, so they come as one message. */
        batch_minutes: z.number().int().min(0, 'must be 0 or more').max(60, 'must be at most 60').default(DEFAULT_DM_BATCH_MINUTES),
        working_hours: z
          .object({ default: z.string().optional(), users: recordOf<string, z.ZodString>(userIdOnly, z.string()).default({}) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const teams = Object.keys(cfg.hours);
    const checkTeam = (name: string | undefined, path: (string | number)[]) => {
      if (name === undefined || name === TWENTY_FOUR_SEVEN || teams.includes(name)) return;
      const known = teams.length ? `defined: ${teams.join(', ')}` : 'none are defined under hours';
      ctx.addIssue({
        code: 'custom',
        path,
        message: `names hours team "${name}", which does not exist (${known}; or use "${TWENTY_FOUR_SEVEN}")`,
      });
    };
    checkTeam(cfg.defaults.hours, ['defaults', 'hours']);
    for (const [channel, p] of Object.entries(cfg.policies)) checkTeam(p?.hours, ['policies', channel, 'hours']);
    checkTeam(cfg.reminders.working_hours.default, ['reminders', 'working_hours', 'default']);
    for (const [user, team] of Object.entries(cfg.reminders.working_hours.users))
      checkTeam(team, ['reminders', 'working_hours', 'users', user]);
  })
  .prefault({});

/** The `sla` section; absent or empty (`sla:` with nothing under it) gives the defaults. */
export const slaConfigSchema = z.preprocess((v) => (v === null ? undefined : v), slaSectionSchema);

export type SlaConfig = z.output<typeof slaConfigSchema>;
export type SlaConfigInput = z.input<typeof slaSectionSchema>;

/**
 * Cross-checks against the rest of the workspace config, for the integrator's superRefine:
 * priority names must be the workspace's priority levels. Paths are relative to `sla`.
 */
export function slaPriorityProblems(cfg: SlaConfig, levels: readonly string[]): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const check = (priorities: Record<string, unknown>, path: (string | number)[]) => {
    for (const p of Object.keys(priorities)) {
      if (!levels.includes(p))
        problems.push({ path: [...path, p], message: `"${p}" is not one of the priority levels (${levels.join(', ')})` });
    }
  };
  check(cfg.defaults.priorities, ['defaults', 'priorities']);
  for (const [channel, p] of Object.entries(cfg.policies)) if (p) check(p.priorities, ['policies', channel, 'priorities']);
  return problems;
}
