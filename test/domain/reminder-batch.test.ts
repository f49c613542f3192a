import { describe, expect, it } from 'vitest';
import { parseDailyInterval, type BusinessSchedule, type DailyInterval, type Weekday } from '../../src/domain/business-hours';
import { batchDms, moreLine, type PendingDm } from '../../src/domain/reminder-batch';

const at = (iso: string) => new Date(iso);
const weekdays = (tz: string, range: string): BusinessSchedule => ({
  timezone: tz,
  weekly: Object.fromEntries(
    (['mon', 'tue', 'wed', 'thu', 'fri'] as Weekday[]).map((d) => [d, [parseDailyInterval(range) as DailyInterval]]),
  ),
});
const hours: Record<string, BusinessSchedule> = {
  U0BOB: weekdays('America/Los_Angeles', '08:00-17:00'),
  U0DANA: weekdays('Europe/Berlin', '09:00-17:00'),
};

describe('batchDms', () => {
  const now = at('2026-03-02T12:00:00Z'); // Mon: 13:00 in Berlin, 04:00 in Los Angeles
  const dm = (recipient: string, item: string, kind: PendingDm<string>['kind'], crossed: string): PendingDm<string> => ({
    recipient,
    item,
    kind,
    crossedAt: at(crossed),
  });
  const pending = [
    dm('U0ALICE', 'TL-5', 'breach', '2026-03-02T10:00:00Z'),
    dm('U0ALICE', 'TL-1', 'breach', '2026-03-02T11:00:00Z'),
    dm('U0ALICE', 'TL-4', 'breach', '2026-03-02T14:00:00Z'),
    dm('U0ALICE', 'TL-2', 'breach', '2026-03-02T12:00:00Z'),
    dm('U0ALICE', 'TL-3', 'breach', '2026-03-02T13:00:00Z'),
    dm('U0ALICE', 'TL-9', 'warning', '2026-03-02T09:00:00Z'),
    dm('U0ALICE', 'TL-8', 'escalation', '2026-03-02T11:30:00Z'),
    dm('U0BOB', 'TL-20', 'breach', '2026-03-02T11:00:00Z'),
    dm('U0CAROL', 'TL-30', 'breach', '2026-03-02T11:00:00Z'),
  ];

  it('sends one DM per person, most severe and oldest first, capped with "and N more"', () => {
    const batches = batchDms(pending, { now, maxItems: 3, workingHours: (u) => hours[u] });
    const alice = batches.find((b) => b.recipient === 'U0ALICE')!;
    expect(alice.shown).toEqual(['TL-8', 'TL-5', 'TL-1']);
    expect(alice.hiddenCount).toBe(4);
    expect(alice.all).toEqual(['TL-8', 'TL-5', 'TL-1', 'TL-2', 'TL-3', 'TL-4', 'TL-9']);
    expect(moreLine(alice)).toBe('and 4 more');
    expect(alice.queued).toBe(false);
    expect(alice.sendAt).toEqual(now);
  });

  it("queues a DM until the recipient's working hours start", () => {
    const batches = batchDms(pending, { now, workingHours: (u) => hours[u] });
    expect(batches.map((b) => [b.recipient, b.sendAt.toISOString(), b.queued])).toEqual([
      ['U0ALICE', '2026-03-02T12:00:00.000Z', false],
      ['U0CAROL', '2026-03-02T12:00:00.000Z', false],
      ['U0BOB', '2026-03-02T16:00:00.000Z', true], // 08:00 PST
    ]);
    expect(moreLine(batches[0]!)).toBeNull();
  });

  it("holds a weekend DM until Monday morning in the recipient's zone", () => {
    const saturday = at('2026-03-28T10:00:00Z'); // the Berlin spring-forward weekend
    const [batch] = batchDms([dm('U0DANA', 'TL-40', 'breach', '2026-03-28T09:00:00Z')], { now: saturday, workingHours: (u) => hours[u] });
    expect(batch!.sendAt).toEqual(at('2026-03-30T07:00:00Z')); // Mon 09:00 CEST
    expect(batch!.queued).toBe(true);
  });

  it('refuses a cap below one', () => {
    expect(() => batchDms(pending, { now, maxItems: 0 })).toThrow('maxItems must be a whole number ≥ 1, got 0');
  });
});
