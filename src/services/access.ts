import { insertEvent } from '../db/queries/cases';
import type { Deps } from './deps';

// The app's access check: only the support team works cases, answers reviews and disputes, and
// sees the team's figures. Every staff command and report asks here first.

/**
 * Lets only the support team through; a refusal is written to the audit log (with what was
 * attempted and how) before the error goes back to the person, privately.
 */
export async function requireTeam(
  deps: Deps,
  params: { caseId: number | null; actor: string; attempted: string; what: string; via: string },
): Promise<void> {
  try {
    await deps.team.requireMember(params.actor, params.what);
  } catch (err) {
    try {
      await insertEvent(deps.db, {
        caseId: params.caseId,
        actor: params.actor,
        action: 'denied',
        data: { attempted: params.attempted, via: params.via },
      });
    } catch (auditErr) {
      deps.logger.error({ err: auditErr, caseId: params.caseId }, 'could not write the refusal to the audit log');
    }
    throw err;
  }
}
