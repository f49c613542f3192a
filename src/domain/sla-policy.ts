import { ALWAYS_OPEN, type BusinessSchedule } from './business-hours';
import { DEFAULT_LADDER, type LadderStep, SLA_CHANNELS, type SlaChannel, type SlaPolicy, TWENTY_FOUR_SEVEN } from './sla';
import type { LadderConfig, SlaConfig, TargetsConfig } from '../config/sla';

// Which SLA policy applies to a case, read from the parsed `sla` section of the workspace config.

/** The policy that applies to one case: feed it to computeSlaState; route reminders by its people. */
export interface EffectiveSlaPolicy extends SlaPolicy {
  readonly source: SlaChannel;
  readonly priority: string;
  /** The hours team whose schedule the clock uses; null for 24/7. */
  readonly hoursTeam: string | null;
  readonly schedule: BusinessSchedule;
  readonly targets: { readonly firstResponse: number | null; readonly nextResponse: number | null; readonly resolution: number | null };
  readonly ladder: readonly LadderStep[];
  readonly mustEscalateImmediately: boolean;
  readonly owner: string | null;
  readonly onDuty: string | null;
  readonly manager: string | null;
}

function isChannel(source: string): source is SlaChannel {
  return (SLA_CHANNELS as readonly string[]).includes(source);
}

/**
 * Resolves the effective policy for a case. Each target comes from the first place that sets
 * it: the channel's priority override, the channel's targets, the default priority override,
 * the defaults (null anywhere switches it off). An unknown source counts as "other".
 */
export function resolvePolicy(cfg: SlaConfig, c: { source: string; priority: string }): EffectiveSlaPolicy {
  const source: SlaChannel = isChannel(c.source) ? c.source : 'other';
  const channel = cfg.policies[source];
  const layers: (TargetsConfig | undefined)[] = [
    channel?.priorities[c.priority],
    channel?.targets,
    cfg.defaults.priorities[c.priority],
    cfg.defaults.targets,
  ];
  const pick = (key: keyof TargetsConfig): number | null => {
    for (const layer of layers) {
      const v = layer?.[key];
      if (v !== undefined) return v;
    }
    return null;
  };
  const team = channel?.hours ?? cfg.defaults.hours;
  const hoursTeam = team === TWENTY_FOUR_SEVEN ? null : team;
  const schedule = hoursTeam === null ? ALWAYS_OPEN : cfg.hours[hoursTeam];
  if (!schedule) throw new RangeError(`hours team "${hoursTeam}" is not defined (the config schema should have refused this)`);
  return {
    source,
    priority: c.priority,
    hoursTeam,
    schedule,
    targets: { firstResponse: pick('first_response'), nextResponse: pick('next_response'), resolution: pick('resolution') },
    ladder: ladderOf(cfg.escalation.ladder, channel?.ladder),
    mustEscalateImmediately: channel?.must_escalate_immediately ?? cfg.escalation.must_escalate_immediately,
    owner: channel?.owner ?? cfg.defaults.owner ?? null,
    onDuty: channel?.on_duty ?? cfg.defaults.on_duty ?? null,
    manager: channel?.manager ?? cfg.defaults.manager ?? null,
  };
}

function ladderOf(base: { warning: number | null; escalation: number | null }, override: LadderConfig | undefined): LadderStep[] {
  const warning = override?.warning !== undefined ? override.warning : base.warning;
  const escalation = override?.escalation !== undefined ? override.escalation : base.escalation;
  const [w, b, e] = DEFAULT_LADDER as [LadderStep, LadderStep, LadderStep];
  return [...(warning === null ? [] : [{ ...w, percent: warning }]), b, ...(escalation === null ? [] : [{ ...e, percent: escalation }])];
}

/** A person's working hours for DMs: their own team, else the default team, else none (any time). */
export function recipientHours(cfg: SlaConfig, userId: string): BusinessSchedule | null {
  const team = cfg.reminders.working_hours.users[userId] ?? cfg.reminders.working_hours.default;
  if (team === undefined || team === TWENTY_FOUR_SEVEN) return null;
  return cfg.hours[team] ?? null;
}
