import pino from 'pino';
import { renderDigest } from '../../blocks/digest';
import type { WorkspaceConfig } from '../../src/config/workspace';
import type { Db } from '../../src/db/client';
import type { Deps } from '../../src/services/deps';
import { loadJudgement } from '../../src/services/judgement-model';
import { TeamDirectory } from '../../src/slack/team';

/** Service dependencies over a real database, with a movable clock and no Slack. */
export function testDeps(db: Db, config: WorkspaceConfig, clock: { now: Date }): Deps & { notified: number } {
  const deps = {
    db,
    config,
    clock: () => clock.now,
    logger: pino({ level: 'silent' }),
    team: new TeamDirectory(
      config.team,
      { usergroups: { users: { list: async () => ({ ok: true, users: [] }) } } } as never,
      pino({ level: 'silent' }),
    ),
    judgement: loadJudgement(),
    renderDigest,
    notified: 0,
    notify: () => {
      deps.notified++;
    },
  };
  return deps;
}
