import { HttpError } from '../http';
import type { ConversationEvent, ProviderEvent } from '../../domain/provider-events';

// What every review and dispute provider adapter produces. Adapters are pure: they read the
// raw body and headers they are given, never the network, the clock or the database.

export type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

/** One secret, or several while a secret is being rotated: any of them may match. */
export type Secrets = string | readonly string[];

export * from '../../domain/provider-events';

/** What a helpdesk or inbound e-mail adapter reads from one delivery. */
export interface ConversationParse {
  conversations: ConversationEvent[];
  /** An event type the adapter does not handle: answered 2xx and logged. */
  ignored?: { type: string };
}

export interface ParseResult<E extends ProviderEvent = ProviderEvent> {
  events: E[];
  /**
   * Set when the delivery (or part of a batch) has an event type this adapter does not handle.
   * The route answers 2xx and logs it: providers disable endpoints that keep failing.
   */
  ignored?: { type: string };
}

export type SignatureFailure =
  'missing_header' | 'malformed_header' | 'mismatch' | 'stale' | 'unsupported_algorithm' | 'untrusted_certificate' | 'not_configured';

/** The request is not from the provider (or not for us): answered 401. */
export class SignatureError extends HttpError {
  constructor(
    readonly provider: string,
    readonly reason: SignatureFailure,
    message: string,
  ) {
    super(401, 'invalid_signature', message);
    this.name = 'SignatureError';
  }
}

/**
 * The body is signed correctly but is not a payload we understand: answered 400 with the field
 * paths. The route keeps the body for inspection.
 */
export class PayloadError extends HttpError {
  constructor(
    readonly provider: string,
    message: string,
    readonly fieldIssues: { path: string; message: string }[],
  ) {
    super(400, 'invalid_payload', message, fieldIssues);
    this.name = 'PayloadError';
  }
}

/**
 * The shape every adapter module also exports as `adapter`, so a route can be written once.
 * `url` is only read by the providers that authenticate with a token in the URL.
 */
export interface ProviderAdapter<Config, E extends ProviderEvent = ProviderEvent> {
  provider: string;
  kind: E['kind'];
  verify(headers: Headers, rawBody: Buffer, config: Config, now: Date, url?: URL | string): void;
  parse(rawBody: Buffer, headers?: Headers): ParseResult<E>;
}
