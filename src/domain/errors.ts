// Typed domain errors. One Bolt error handler turns them into an ephemeral message;
// the ingest router turns them into HTTP answers. Listeners never swallow them.

export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** What the person who tried the action should read. */
  abstract readonly userMessage: string;
}

export class NotOnTeam extends DomainError {
  readonly code = 'not_on_team';
  readonly userMessage: string;
  constructor(
    readonly userId: string,
    what = 'act on support cases',
  ) {
    super(`${userId} is not on the support team`);
    this.userMessage = `Only the support team can ${what}. Ask a Trustloop admin to add you to the team in the workspace config.`;
  }
}

export class NotAManager extends DomainError {
  readonly code = 'not_a_manager';
  readonly userMessage: string;
  constructor(
    readonly userId: string,
    what: string,
  ) {
    super(`${userId} is not a manager`);
    this.userMessage = `Only managers can ${what}. Managers are listed under team.managers in the workspace config.`;
  }
}

export class CaseNotFound extends DomainError {
  readonly code = 'case_not_found';
  readonly userMessage: string;
  constructor(readonly caseId: number | string) {
    super(`case ${caseId} not found`);
    this.userMessage = `Case ${caseId} no longer exists.`;
  }
}

export class CaseClosed extends DomainError {
  readonly code = 'case_closed';
  readonly userMessage: string;
  constructor(
    readonly ref: string,
    action: string,
  ) {
    super(`${ref} is resolved; cannot ${action}`);
    this.userMessage = `${ref} is resolved. Reopen it before you ${action} it.`;
  }
}

export class InvalidInput extends DomainError {
  readonly code = 'invalid_input';
  constructor(
    readonly userMessage: string,
    readonly path: (string | number)[] = [],
  ) {
    super(userMessage);
  }
}

export class FixAlreadyOpen extends DomainError {
  readonly code = 'fix_already_open';
  readonly userMessage: string;
  constructor(
    readonly subject: string,
    readonly ownerId: string,
  ) {
    super(`an open fix already exists for ${subject}`);
    this.userMessage = `${subject} already has an open fix by <@${ownerId}>; \`/trustloop fixes\` lists it.`;
  }
}

export class FixNotFound extends DomainError {
  readonly code = 'fix_not_found';
  readonly userMessage: string;
  constructor(readonly fixId: number) {
    super(`fix ${fixId} not found`);
    this.userMessage = `That fix no longer exists.`;
  }
}

export class NotFixOwner extends DomainError {
  readonly code = 'not_fix_owner';
  readonly userMessage = 'Only the fix’s owner, the person who created it, or a manager can mark it done.';
  constructor(readonly userId: string) {
    super(`${userId} may not close this fix`);
  }
}
