import type { App } from '@slack/bolt';
import { buildNoticeModal, STALE_CONTROL } from '../../../blocks/modals';
import { DomainError } from '../../domain/errors';

// Slack shows the person an error ("this app is not responding") when a button, form or command
// is not acknowledged within 3 seconds. Two things would leave one unacknowledged: a listener
// that fails before its ack (a form whose hidden context it cannot read, such as one opened
// before an upgrade), and a button no listener knows (a card posted by an older Trustloop). Both
// are answered here: the ack is sent, and the person is told what happened, in the modal itself
// for a form or privately for a button; the error still reaches the error handler.

type Constraint = string | RegExp | { action_id?: string | RegExp; callback_id?: string | RegExp };
type Listener = (args: any) => Promise<void>;
type Kind = 'action' | 'view' | 'command' | 'shortcut';

const GUARDED: readonly Kind[] = ['action', 'view', 'command', 'shortcut'];

function matches(constraint: Constraint, id: string, key: 'action_id' | 'callback_id'): boolean {
  if (typeof constraint === 'string') return constraint === id;
  if (constraint instanceof RegExp) return constraint.test(id);
  const c = constraint[key];
  if (c === undefined) return true;
  return typeof c === 'string' ? c === id : c.test(id);
}

function guard(kind: Kind, listener: Listener): Listener {
  return async (args) => {
    let acked = false;
    const ack = async (response?: unknown) => {
      acked = true;
      return args.ack(response);
    };
    try {
      await listener({ ...args, ack });
    } catch (err) {
      if (acked || typeof args.ack !== 'function') throw err;
      if (kind === 'view') {
        const message = err instanceof DomainError ? err.userMessage : STALE_CONTROL;
        await args.ack({ response_action: 'update', view: buildNoticeModal(message) });
        // The modal says it; a refusal needs no second message.
        if (err instanceof DomainError) return;
      } else {
        await args.ack();
      }
      throw err;
    }
  };
}

/**
 * The app as the feature modules see it: every action, view, command and shortcut listener they
 * register is guarded, and its id is remembered so that `answerUnknown` can tell which buttons
 * and forms no listener handles.
 */
export function ackGuarded(app: App): { app: App; answerUnknown(): void } {
  const known: Record<'action_id' | 'callback_id', Constraint[]> = { action_id: [], callback_id: [] };
  const guarded = new Proxy(app, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && (GUARDED as readonly string[]).includes(prop)) {
        return (...args: unknown[]) => {
          const listener = args.pop() as Listener;
          const constraint = args[0] as Constraint;
          if (prop === 'action') known.action_id.push(constraint);
          if (prop === 'view') known.callback_id.push(constraint);
          return (target as any)[prop](...args, guard(prop as Kind, listener));
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const isKnown = (key: 'action_id' | 'callback_id', id: string) => known[key].some((c) => matches(c, id, key));
  return {
    app: guarded,
    answerUnknown() {
      app.action(/.*/, async ({ action, ack, respond }) => {
        const id = (action as { action_id?: string }).action_id ?? '';
        if (isKnown('action_id', id)) return;
        await ack();
        // Buttons in App Home and in modals come without a response_url: the ack is all Slack needs.
        if (respond) await respond({ response_type: 'ephemeral', replace_original: false, text: STALE_CONTROL });
      });
      app.view(/.*/, async ({ view, ack }) => {
        if (isKnown('callback_id', view.callback_id)) return;
        await ack({ response_action: 'update', view: buildNoticeModal(STALE_CONTROL) });
      });
    },
  };
}
