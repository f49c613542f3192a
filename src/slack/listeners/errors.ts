import type { App } from '@slack/bolt';
import type { ExtendedErrorHandlerArgs } from '@slack/bolt/dist/App';
import { DomainError } from '../../domain/errors';
import type { Deps } from '../../services/deps';

// The one place errors from listeners end up. Domain errors are explained to the person who
// acted, privately; anything else is logged with the payload type, never the payload.

interface ErrorBody {
  type?: string;
  response_url?: string;
  user?: { id?: string };
  channel?: { id?: string };
  container?: { channel_id?: string };
  event?: { user?: string; item?: { channel?: string }; channel?: string };
  user_id?: string;
  channel_id?: string;
}

function unwrap(error: unknown): unknown {
  const e = error as { original?: unknown; originals?: unknown[] };
  if (e?.original) return unwrap(e.original);
  if (Array.isArray(e?.originals) && e.originals.length > 0) return unwrap(e.originals[0]);
  return error;
}

export function registerErrorHandler(app: App, deps: Deps): void {
  app.error(async ({ error, body, context }: ExtendedErrorHandlerArgs) => {
    const err = unwrap(error);
    const b = (body ?? {}) as ErrorBody;
    if (!(err instanceof DomainError)) {
      deps.logger.error({ err, payload: b.type }, 'listener failed');
      return;
    }
    deps.logger.info({ code: err.code, payload: b.type }, 'action refused');
    const text = err.userMessage;
    try {
      if (b.response_url) {
        await fetch(b.response_url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        });
        return;
      }
      const user = b.user?.id ?? b.user_id ?? b.event?.user;
      const channel = b.channel?.id ?? b.container?.channel_id ?? b.channel_id ?? b.event?.item?.channel ?? b.event?.channel;
      if (user && channel) {
        await app.client.chat.postEphemeral({ token: context.botToken, channel, user, text });
      } else if (user) {
        // A submitted modal has no channel: tell the person in a DM from the app.
        await app.client.chat.postMessage({ token: context.botToken, channel: user, text });
      }
    } catch (sendErr) {
      deps.logger.warn({ err: sendErr }, 'could not tell the user why the action was refused');
    }
  });
}
