import type { WebClient } from '@slack/web-api';
import type { WorkspaceConfig } from '../config/workspace';
import { NotAManager, NotOnTeam } from '../domain/errors';
import type { Logger } from '../logger';
import type { TeamCheck } from '../services/deps';

export type { TeamCheck };

/**
 * Who may act on cases: users listed in the config, members of its Slack user groups, and
 * managers. Group membership is read from Slack once at start-up and then refreshed in the
 * background when it is older than the TTL (clicks never wait for Slack after the first read, and
 * concurrent misses share one request). If Slack cannot be asked, the last known list is used;
 * with none the answer is no (fail closed).
 */
export class TeamDirectory implements TeamCheck {
  private groupMembers = new Map<string, { users: Set<string>; at: number }>();
  private refreshing = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly team: WorkspaceConfig['team'],
    private readonly client: Pick<WebClient, 'usergroups'>,
    private readonly logger: Logger,
    private readonly ttlMs = 5 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  isManager(userId: string): boolean {
    return this.team.managers.includes(userId);
  }

  async isMember(userId: string): Promise<boolean> {
    if (this.team.members.includes(userId) || this.isManager(userId)) return true;
    for (const group of this.team.usergroups) {
      if ((await this.usersOf(group)).has(userId)) return true;
    }
    return false;
  }

  async requireMember(userId: string, what?: string): Promise<void> {
    if (!(await this.isMember(userId))) throw new NotOnTeam(userId, what);
  }

  requireManager(userId: string, what: string): void {
    if (!this.isManager(userId)) throw new NotAManager(userId, what);
  }

  /** Reads every configured user group now (at start-up), so the first clicks do not wait. */
  async warm(): Promise<void> {
    await Promise.all(this.team.usergroups.map((g) => this.refresh(g)));
  }

  private async usersOf(group: string): Promise<Set<string>> {
    const cached = this.groupMembers.get(group);
    if (cached) {
      if (this.clock() - cached.at >= this.ttlMs) void this.refresh(group);
      return cached.users;
    }
    return this.refresh(group);
  }

  private refresh(group: string): Promise<Set<string>> {
    const inFlight = this.refreshing.get(group);
    if (inFlight) return inFlight;
    const p = this.client.usergroups.users
      .list({ usergroup: group })
      .then((res) => {
        const users = new Set(res.users ?? []);
        this.groupMembers.set(group, { users, at: this.clock() });
        return users;
      })
      .catch((err: Error) => {
        this.logger.warn({ group, err: err.message }, 'could not read user group members; using the last known list');
        return this.groupMembers.get(group)?.users ?? new Set<string>();
      })
      .finally(() => this.refreshing.delete(group));
    this.refreshing.set(group, p);
    return p;
  }
}
