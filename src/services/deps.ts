import type { WorkspaceConfig } from '../config/workspace';
import type { DigestModel } from '../domain/digest';
import type { JudgeContext } from '../domain/judgement/judge';
import type { JudgementThread } from './judgement-thread';
import type { Db } from '../db/client';
import type { StoredDigest } from '../db/schema';
import type { Logger } from '../logger';
import type { ChargeLookup } from './charge-lookup';
import type { DraftModel } from './draft-model';
import type { Senders } from './send';

/** Builds the signed links customers answer through. */
export interface CustomerLinks {
  /** A usage-rights answer ("grant" or "decline"), valid until `expiresAt`. */
  ugcAnswer(requestId: number, answer: 'grant' | 'decline', expiresAt: Date): string;
}

/** Who is on the support team (src/slack/team.ts reads it from the config and Slack's user groups). */
export interface TeamCheck {
  isMember(userId: string): Promise<boolean>;
  isManager(userId: string): boolean;
  /** Throws NotOnTeam for anyone outside the support team. */
  requireMember(userId: string, what?: string): Promise<void>;
  requireManager(userId: string, what: string): void;
}

/**
 * What a service needs, handed in whole so a test can pass a real database and a fixed clock.
 * Services write state and outbox rows in one transaction; they never call Slack.
 */
export interface Deps {
  db: Db;
  config: WorkspaceConfig;
  clock: () => Date;
  logger: Logger;
  team: TeamCheck;
  /** The judgement model (shipped, or the store's retrained one) and its concept lexicon. */
  judgement: JudgeContext;
  /**
   * How a week's digest is worded (blocks/digest.ts), handed in by the app: a published digest is
   * stored as it was shown, and its thread is queued one message at a time.
   */
  renderDigest: DigestRenderer;
  /** Tells the dispatcher that outbox rows were committed (it also polls). */
  notify: () => void;
  /** Where replies to customers are sent (e-mail, helpdesks, review platforms); absent: none is set up. */
  senders?: Senders;
  /** Reads a disputed charge from the store's Stripe account (STRIPE_API_KEY); absent: disputes are not looked up. */
  charges?: ChargeLookup;
  /** Optional AI drafting for the reply composer (an OpenAI-compatible model); absent: the built-in composer only. */
  draftModel?: DraftModel;
  /** Signed links in messages to customers (PUBLIC_URL and CUSTOMER_LINK_SECRET); absent: those links are off. */
  links?: CustomerLinks;
  /**
   * Asks for a case stored by ingest to be judged now, off the request (the card's delivery judges it
   * otherwise). The worker tells the dispatcher once the judgement is committed, so the card's
   * delivery finds the case judged instead of judging it itself.
   */
  judgeSoon?: (caseId: number) => void;
  /** Reads new tickets on a thread of its own (JudgementThread); absent: they are read on the main thread. */
  judgementThread?: JudgementThread;
}

export type DigestRenderer = (config: WorkspaceConfig, model: DigestModel) => Pick<StoredDigest, 'main' | 'thread'>;
