import type { AgeBucket, BreakdownBy, BreakdownRow, PeriodMetrics } from './metrics';
import type { RequestFigures } from './review-requests';

// What /trustloop metrics, queue and mine and the App Home tab show, as figures: the services
// work them out, blocks/metrics.ts says them.

/** A report narrowed to one channel or one source; none is everything. */
export type MetricsScope = { channelId: string } | { source: string };

export interface MetricsReport {
  /** "Team metrics", "Your metrics". */
  title: string;
  /** "last 7 days". */
  periodLabel: string;
  /** "2 Nov 2026 – 8 Nov 2026, compared with …" (dates in the store's time zone). */
  periodDetail: string;
  scope: MetricsScope | null;
  current: PeriodMetrics;
  previous: PeriodMetrics;
  breakdowns: { title: string; by: BreakdownBy; rows: BreakdownRow[] }[];
  /** The export command to suggest (managers), e.g. "/trustloop export first_response 7d". */
  exportHint: string | null;
  /** Review requests after delivery, when the store sends them. */
  requests?: RequestFigures | null;
}

export interface QueueReport {
  /** One channel, or null for every channel. */
  channelId: string | null;
  counts: { status: string; bucket: AgeBucket; n: number }[];
}

/** One of a person's open cases (mine, App Home), with its SLA standing. */
export interface OpenCaseLine {
  caseId: number;
  subject: string;
  status: string;
  /** "first reply due in 1h 20m", or null without targets. */
  slaText: string | null;
  /** breached | at_risk | ok */
  risk: 'breached' | 'at_risk' | 'ok';
  /** Flagged by a must-escalate rule (its own marker, not a breach). */
  mustEscalate?: boolean;
  cardUrl: string | null;
  channelId: string;
}

export interface MineReport {
  cases: OpenCaseLine[];
  more: number;
  report: MetricsReport;
}

/** The App Home tab: someone outside the team is told what Trustloop is for. */
export type HomeReport =
  | { onTeam: false }
  | {
      onTeam: true;
      now: Date;
      cases: OpenCaseLine[];
      more: number;
      /** Managers only. sla.cappedAt: more cases were at risk than that many looked at; the counts are lower bounds. */
      team: { queue: QueueReport; sla: { breached: number; atRisk: number; cappedAt: number | null }; week: MetricsReport } | null;
    };
