import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { slaConfigSchema, slaPriorityProblems, type SlaConfig } from '../../src/config/sla';
import { recipientHours, resolvePolicy } from '../../src/domain/sla-policy';
import { ALWAYS_OPEN } from '../../src/domain/business-hours';
import { computeSlaState } from '../../src/domain/sla';

const parseSla = (yaml: string): SlaConfig => slaConfigSchema.parse(parse(yaml));
/** Each problem as "path: message". */
const problems = (yaml: string): string[] => {
  const r = slaConfigSchema.safeParse(parse(yaml));
  if (r.success) return [];
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

// The documented example doubles as the fixture, so the documentation cannot drift.
const EXAMPLE = readFileSync(new URL('../../src/config/sla.example.yml', import.meta.url), 'utf8');

describe('slaConfigSchema defaults', () => {
  it('gives a working 24/7 setup for an absent, null or empty section', () => {
    for (const input of [undefined, null, {}]) {
      const cfg = slaConfigSchema.parse(input);
      expect(cfg.escalation).toEqual({ ladder: { warning: 75, escalation: 150 }, must_escalate_immediately: true });
      expect(cfg.reminders.max_items_per_dm).toBe(10);
      expect(resolvePolicy(cfg, { source: 'email', priority: 'normal' })).toEqual({
        source: 'email',
        priority: 'normal',
        hoursTeam: null,
        schedule: ALWAYS_OPEN,
        targets: { firstResponse: 240, nextResponse: 480, resolution: 2880 },
        ladder: [
          { level: 'warning', kind: 'warning', percent: 75 },
          { level: 'breach', kind: 'breach', percent: 100 },
          { level: 'escalation', kind: 'escalation', percent: 150 },
        ],
        mustEscalateImmediately: true,
        owner: null,
        onDuty: null,
        manager: null,
      });
    }
  });

  it('fills in the section when the workspace config leaves it out', () => {
    const workspace = z.object({ sla: slaConfigSchema }).strict();
    expect(workspace.parse({}).sla.defaults.targets).toEqual({ first_response: 240, next_response: 480, resolution: 2880 });
  });
});

describe('resolvePolicy', () => {
  const cfg = parseSla(EXAMPLE);

  it('turns hours into schedules, split shifts, overnight shifts and holidays included', () => {
    expect(cfg.hours.support).toEqual({
      timezone: 'Europe/Berlin',
      weekly: {
        mon: [
          { start: 540, end: 720 },
          { start: 780, end: 1020 },
        ],
        tue: [{ start: 540, end: 1020 }],
        wed: [{ start: 540, end: 1020 }],
        thu: [{ start: 540, end: 1020 }],
        fri: [{ start: 540, end: 1020 }],
      },
      holidays: [{ date: '2026-12-25' }, { date: '2026-12-24', closed: [{ start: 780, end: 1440 }] }],
      alwaysOpen: false,
    });
    expect(cfg.hours.night?.weekly.sat).toEqual([{ start: 1320, end: 1800 }]);
  });

  it('takes the channel, its priority override, then the defaults', () => {
    const normal = resolvePolicy(cfg, { source: 'email', priority: 'normal' });
    expect(normal.hoursTeam).toBe('support');
    expect(normal.schedule).toBe(cfg.hours.support);
    expect(normal.targets).toEqual({ firstResponse: 240, nextResponse: 480, resolution: 72 * 60 });
    expect([normal.owner, normal.onDuty, normal.manager]).toEqual(['S0EMAIL', 'S0ONDUTY', 'U0BOSS']);
    expect(normal.ladder.map((s) => s.percent)).toEqual([80, 100, 200]);

    expect(resolvePolicy(cfg, { source: 'email', priority: 'urgent' }).targets).toEqual({
      firstResponse: 30,
      nextResponse: 480,
      resolution: 72 * 60,
    });
    // The default priority override sits below the channel's own targets.
    expect(resolvePolicy(cfg, { source: 'email', priority: 'high' }).targets.firstResponse).toBe(240);
    expect(resolvePolicy(cfg, { source: 'review', priority: 'high' }).targets).toEqual({
      firstResponse: 120,
      nextResponse: 480,
      resolution: 2880,
    });
  });

  it('applies a channel ladder override and its hours team', () => {
    const chat = resolvePolicy(cfg, { source: 'live_chat', priority: 'normal' });
    expect(chat.hoursTeam).toBe('anytime');
    expect(chat.targets).toEqual({ firstResponse: 5, nextResponse: 10, resolution: 90 });
    expect(chat.ladder).toEqual([
      { level: 'warning', kind: 'warning', percent: 50 },
      { level: 'breach', kind: 'breach', percent: 100 },
    ]);
    expect([chat.owner, chat.manager]).toEqual(['U0CHAT', 'U0CHATBOSS']);
  });

  it('switches targets off with null and runs "24/7" policies around the clock', () => {
    const dispute = resolvePolicy(cfg, { source: 'dispute', priority: 'normal' });
    expect(dispute.targets).toEqual({ firstResponse: 24 * 60, nextResponse: null, resolution: null });
    expect(dispute.hoursTeam).toBeNull();
    expect(dispute.schedule).toBe(ALWAYS_OPEN);
    expect(dispute.mustEscalateImmediately).toBe(false);
  });

  it('treats an unknown source as "other"', () => {
    expect(resolvePolicy(cfg, { source: 'fax', priority: 'normal' }).source).toBe('other');
  });

  it('feeds the SLA clock directly', () => {
    // Email, urgent: 30 business minutes from Mon 2 Mar 11:45 CET, across the lunch break → 13:15 CET.
    const policy = resolvePolicy(cfg, { source: 'email', priority: 'urgent' });
    const state = computeSlaState(policy, { receivedAt: new Date('2026-03-02T10:45:00Z') }, new Date('2026-03-02T10:50:00Z'));
    expect(state.targets[0]?.dueAt).toEqual(new Date('2026-03-02T12:15:00Z'));
  });

  it("finds a DM recipient's working hours", () => {
    expect(recipientHours(cfg, 'U0NIGHT')).toBe(cfg.hours.night);
    expect(recipientHours(cfg, 'U0SOMEONE')).toBe(cfg.hours.support);
    expect(recipientHours(cfg, 'U0ANY')).toBeNull();
    expect(recipientHours(parseSla(''), 'U0SOMEONE')).toBeNull();
  });

  it('checks priority names against the workspace levels', () => {
    expect(slaPriorityProblems(cfg, ['low', 'normal', 'high'])).toEqual([
      { path: ['policies', 'email', 'priorities', 'urgent'], message: '"urgent" is not one of the priority levels (low, normal, high)' },
    ]);
    expect(slaPriorityProblems(cfg, ['low', 'normal', 'high', 'urgent'])).toEqual([]);
  });
});

describe('slaConfigSchema rejections, with the path of the bad value', () => {
  it('rejects an unknown channel', () => {
    expect(problems('policies: { emial: {} }')).toEqual([
      'policies.emial: unknown channel "emial": use one of email, live_chat, social_dm, comment, marketplace, review, dispute, other',
    ]);
  });

  it('rejects an end before the start that is not marked overnight', () => {
    expect(problems('hours: { eu: { timezone: Europe/Berlin, weekly: { fri: ["09:00-17:00", "22:00-06:00"] } } }')).toEqual([
      'hours.eu.weekly.fri.1: "22:00-06:00" ends before it starts: mark an overnight shift with +1, e.g. "22:00-06:00+1"',
    ]);
  });

  it('rejects impossible times and unknown weekdays', () => {
    expect(problems('hours: { eu: { timezone: UTC, weekly: { mon: ["09:00-25:00"], monday: ["09:00-17:00"] } } }')).toEqual([
      'hours.eu.weekly.mon.0: "25:00" is not a time of day (00:00 to 24:00)',
      'hours.eu.weekly.monday: unknown weekday "monday": use one of mon, tue, wed, thu, fri, sat, sun',
    ]);
  });

  it('rejects overlapping intervals, an overnight tail into the next day included', () => {
    expect(problems('hours: { eu: { timezone: UTC, weekly: { mon: ["09:00-12:00", "11:30-14:00"] } } }')).toEqual([
      'hours.eu.weekly.mon.1: overlaps mon 09:00-12:00',
    ]);
    expect(problems('hours: { eu: { timezone: UTC, weekly: { fri: ["20:00-04:00+1"], sat: ["03:00-08:00"] } } }')).toEqual([
      'hours.eu.weekly.sat.0: overlaps fri 20:00-04:00+1',
    ]);
  });

  it('rejects a week with no open hours', () => {
    expect(problems('hours: { eu: { timezone: UTC, weekly: { mon: [] } } }')).toEqual([
      'hours.eu.weekly: has no open hours on any day: list at least one interval, or set always_open',
    ]);
  });

  it('rejects an unknown time zone', () => {
    expect(problems('hours: { eu: { timezone: Europe/Berlim, weekly: { mon: ["09:00-17:00"] } } }')).toEqual([
      'hours.eu.timezone: "Europe/Berlim" is not an IANA time zone such as Europe/Berlin',
    ]);
  });

  it('rejects bad and repeated holidays', () => {
    expect(
      problems(`
hours:
  eu:
    timezone: UTC
    weekly: { mon: ["09:00-17:00"] }
    holidays: ["2026-02-30", "2026-12-25", "2026-12-25", { date: "2026-12-24", closed: ["13:00-06:00+1"] }]`),
    ).toEqual([
      'hours.eu.holidays.0: "2026-02-30" is not a date such as 2026-12-25',
      'hours.eu.holidays.3.closed.0: "13:00-06:00+1" must lie within the date (use 24:00 for midnight)',
    ]);
    expect(problems('hours: { eu: { timezone: UTC, weekly: { mon: ["09:00-17:00"] }, holidays: ["2026-12-25", "2026-12-25"] } }')).toEqual([
      'hours.eu.holidays.1: lists 2026-12-25 twice (also at holidays.0)',
    ]);
  });

  it('rejects negative, zero and malformed targets', () => {
    expect(problems('policies: { email: { targets: { first_response: -5, next_response: 0, resolution: "2d" } } }')).toEqual([
      'policies.email.targets.first_response: must be more than zero (got -5); use null to switch the target off',
      'policies.email.targets.next_response: must be more than zero (got 0); use null to switch the target off',
      'policies.email.targets.resolution: "2d" is not a duration such as 30m, 4h or 1h30m: give days as hours (48h), since a business day depends on the hours',
    ]);
    expect(problems('defaults: { priorities: { urgent: { first_response: "0m" } } }')).toEqual([
      'defaults.priorities.urgent.first_response: must be more than zero (got 0m); use null to switch the target off',
    ]);
  });

  it('rejects a policy naming an hours team that does not exist', () => {
    expect(problems('hours: { support: { timezone: UTC, always_open: true } }\npolicies: { email: { hours: suport } }')).toEqual([
      'policies.email.hours: names hours team "suport", which does not exist (defined: support; or use "24/7")',
    ]);
    expect(problems('defaults: { hours: office }')).toEqual([
      'defaults.hours: names hours team "office", which does not exist (none are defined under hours; or use "24/7")',
    ]);
  });

  it('rejects ids that are not Slack user or group ids where they must be', () => {
    expect(problems('policies: { email: { owner: bob, manager: S0GROUP } }')).toEqual([
      'policies.email.owner: must be a Slack user ID (U0123ABCD), user group ID (S0123ABCD), an e-mail address or an @handle',
      'policies.email.manager: must be a Slack user ID such as U0123ABCD, an e-mail address such as ana@store.example, or an @handle',
    ]);
  });

  it('rejects a ladder out of order', () => {
    expect(problems('escalation: { ladder: { warning: 120, escalation: 90 } }')).toEqual([
      'escalation.ladder.warning: must be below 100% (the breach)',
      'escalation.ladder.escalation: must be above 100% (the breach)',
    ]);
  });

  it('keeps the path when nested in the workspace config', () => {
    const workspace = z.object({ sla: slaConfigSchema });
    const r = workspace.safeParse({ sla: parse('policies: { emial: {} }') });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path)).toEqual([['sla', 'policies', 'emial']]);
  });
});
