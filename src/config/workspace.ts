import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { DEFAULT_TAGS } from '../domain/tag-catalogue';
import { TICKET_SOURCES } from '../domain/case';
import { digestConfigSchema } from './digest';
import { plainIssues } from './sentences';
import { judgementConfigSchema } from './judgement';
import { policyConfigSchema } from './policy';
import { retentionConfigSchema } from './retention';
import { reviewRequestsConfigSchema } from './review-requests';
import { disputesConfigSchema, reviewsConfigSchema } from './reviews';
import { slaConfigSchema, slaPriorityProblems, USER_REF } from './sla';
import { isTimeZone } from '../domain/business-hours';

// The workspace config file: who is on the team, where each kind of case is posted,
// the tag catalogue and the priority ladder. YAML on disk, validated by this schema.

// Channels, people and user groups by name (#support, ana@store.example or @ana, @support-team)
// or by ID; names are looked up in Slack at start-up (src/slack/names.ts).
const channelId = z
  .string()
  .regex(
    /^([CG][A-Z0-9]{2,}|#[a-z0-9][a-z0-9._-]{0,79})$/,
    'must be a Slack channel ID such as C0123ABCD or a channel name such as #support',
  );
const userId = z
  .string()
  .regex(USER_REF, 'must be a Slack user ID such as U0123ABCD, an e-mail address such as ana@store.example, or an @handle');
const usergroupId = z.string().regex(/^(S[A-Z0-9]{2,}|@[a-z0-9][a-z0-9._-]{0,79})$/, 'must be a Slack user group ID such as S0123ABCD or its @handle');
const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, - or _ (at most 64)');

export const tagSchema = z.object({
  id: slug,
  label: z.string().min(1).max(75),
  group: z.enum(['pre_sales', 'after_sales', 'risk', 'feedback', 'other']).default('other'),
});

const sourceChannels = z.partialRecord(z.enum(TICKET_SOURCES), channelId);

export const workspaceConfigSchema = z
  .object({
    store: z
      .object({
        name: z.string().min(1).max(100),
        timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
      })
      .strict(),
    channels: z
      .object({
        default: channelId,
        sources: sourceChannels.default({}),
        escalation: channelId,
        // Negative review cases, dispute cases, UGC candidates, cluster alerts.
        // reviews and disputes default to `default`; supply_chain to `escalation`; no ugc: no UGC posts.
        reviews: channelId.optional(),
        disputes: channelId.optional(),
        ugc: channelId.optional(),
        supply_chain: channelId.optional(),
        // The weekly voice-of-customer digest (default: the default channel).
        digest: channelId.optional(),
      })
      .strict(),
    team: z
      .object({
        members: z.array(userId).default([]),
        usergroups: z.array(usergroupId).default([]),
        managers: z.array(userId).default([]),
      })
      .strict()
      .refine((t) => t.members.length + t.usergroups.length + t.managers.length > 0, {
        message: 'lists nobody: add members, usergroups or managers, or no one will be able to act on a case',
      }),
    tags: z
      .array(tagSchema)
      .min(1, 'needs at least one tag (leave `tags` out to use the built-in catalogue)')
      .max(100, 'at most 100 tags fit in a Slack menu')
      .default(DEFAULT_TAGS),
    priorities: z
      .object({
        levels: z.array(slug).min(1).max(10).default(['low', 'normal', 'high', 'urgent']),
        default: slug.default('normal'),
        // Escalation raises a case to this level (default: the highest).
        escalated: slug.optional(),
      })
      .strict()
      .default({ levels: ['low', 'normal', 'high', 'urgent'], default: 'normal' }),
    // Automatic tags, sentiment and must-escalate rules (thresholds, toggles, extra keywords).
    judgement: judgementConfigSchema.prefault({}),
    // Business hours, response-time targets per channel and priority, owners and the reminder ladder.
    sla: slaConfigSchema.prefault({}),
    // Negative-review threshold, UGC, cluster alerts; dispute evidence (policy pages).
    reviews: reviewsConfigSchema.prefault({}),
    disputes: disputesConfigSchema.prefault({}),
    // Review requests after delivery: delays, reminders, caps, the customer's daytime, languages.
    review_requests: reviewRequestsConfigSchema.prefault({}),
    // The weekly voice-of-customer digest: schedule, repeated-question thresholds, fix targets.
    digest: digestConfigSchema.prefault({}),
    // The store's promises (delivery windows, returns, refunds, exchanges, damage claims, contact):
    // replies are drafted from them and checked against them.
    policy: policyConfigSchema.prefault({}),
    // How long personal data is kept: `trustloop purge` deletes what is older (unset: kept).
    retention: retentionConfigSchema.prefault({}),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.tags.forEach((tag, i) => {
      if (seen.has(tag.id)) ctx.addIssue({ code: 'custom', path: ['tags', i, 'id'], message: `duplicate tag id "${tag.id}"` });
      seen.add(tag.id);
    });
    const tagIds = new Set(cfg.tags.map((t) => t.id));
    for (const tag of Object.keys(cfg.digest.thresholds)) {
      if (!tagIds.has(tag)) {
        ctx.addIssue({ code: 'custom', path: ['digest', 'thresholds', tag], message: `"${tag}" is not a tag in the catalogue` });
      }
    }
    const { levels } = cfg.priorities;
    if (new Set(levels).size !== levels.length) {
      ctx.addIssue({ code: 'custom', path: ['priorities', 'levels'], message: 'lists a level twice' });
    }
    for (const problem of slaPriorityProblems(cfg.sla, levels)) {
      ctx.addIssue({ code: 'custom', path: ['sla', ...problem.path], message: problem.message });
    }
    for (const key of ['default', 'escalated'] as const) {
      const value = cfg.priorities[key];
      if (value !== undefined && !levels.includes(value)) {
        ctx.addIssue({ code: 'custom', path: ['priorities', key], message: `"${value}" is not one of the levels (${levels.join(', ')})` });
      }
    }
  });

export type WorkspaceConfig = z.infer<typeof workspaceConfigSchema>;
export type TagConfig = z.infer<typeof tagSchema>;


export interface ConfigProblem {
  path: string;
  line?: number;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${file}: ${problems.map(formatProblem).join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.path || '(top level)'}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`;
}

/** Parses YAML text; every problem carries its dotted path and, where known, its line. */
export function parseWorkspaceConfig(text: string, file = 'config'): WorkspaceConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: '', line: lineCounter.linePos(e.pos[0]).line, message: e.message.split('\n')[0]! })),
    );
  }
  const result = workspaceConfigSchema.safeParse(doc.toJS() ?? {}, {
    error: plainIssues('is missing: add it (src/config/workspace.example.yml shows each setting)'),
  });
  if (result.success) return result.data;
  throw new ConfigError(
    file,
    result.error.issues.flatMap((issue) => {
      const at = issue.path as (string | number)[];
      // One problem per unknown key, at the key itself, so the path and line point at the typo.
      const located =
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ at: [...at, key], message: `unknown setting "${key}"` }))
          : [{ at, message: issue.message }];
      return located.map(({ at: p, message }) => ({ path: p.map(String).join('.'), line: lineOf(doc, lineCounter, p), message }));
    }),
  );
}

function lineOf(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

export function loadWorkspaceConfig(file: string): WorkspaceConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint =
      code === 'ENOENT' ? 'not found: copy src/config/workspace.example.yml to it and fill in your channel and user IDs' : String(err);
    throw new ConfigError(file, [{ path: '', message: hint }]);
  }
  return parseWorkspaceConfig(text, file);
}
