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

type Routed = 'action' | 'view';
interface Route {
  constraint: Constraint;
  listener: Listener;
}

/**
 * The app as the feature modules see it: every action, view, command and shortcut listener they
 * register is guarded. Buttons and forms are routed here rather than by Bolt: Bolt runs every
 * event through every listener's own middleware chain, which on a busy Monday costs more than the
 * click's work; one listener per payload kind finds the feature's listener by id in a table, and
 * answers the ones nobody handles (a card posted by an older Trustloop). `mount` registers them,
 * after the features have registered theirs.
 */
export function ackGuarded(app: App): { app: App; mount(): void } {
  const routes: Record<Routed, Route[]> = { action: [], view: [] };
  const guarded = new Proxy(app, {
    get(target, prop, receiver) {
      if (prop === 'action' || prop === 'view') {
        return (...args: unknown[]) => {
          const listener = args.pop() as Listener;
          routes[prop].push({ constraint: args[0] as Constraint, listener: guard(prop, listener) });
          return receiver;
        };
      }
      if (typeof prop === 'string' && (GUARDED as readonly string[]).includes(prop)) {
        return (...args: unknown[]) => {
          const listener = args.pop() as Listener;
          return (target as any)[prop](...args, guard(prop as Kind, listener));
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  // Bolt's way: every listener whose id matches runs, at once, and the first failure is reported.
  const run = async (found: Route[], args: unknown) => {
    if (found.length === 1) return found[0]!.listener(args);
    const results = await Promise.allSettled(found.map((r) => r.listener(args)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  return {
    app: guarded,
    mount() {
      app.action(/.*/, async (args) => {
        const { action, body, ack, respond } = args;
        const id = (action as { action_id?: string }).action_id ?? (body as { callback_id?: string }).callback_id ?? '';
        const found = routes.action.filter((r) => matches(r.constraint, id, 'action_id'));
        if (found.length > 0) return run(found, args);
        await ack();
        // Buttons in App Home and in modals come without a response_url: the ack is all Slack needs.
        if (respond) await respond({ response_type: 'ephemeral', replace_original: false, text: STALE_CONTROL });
      });
      app.view(/.*/, async (args) => {
        const found = routes.view.filter((r) => matches(r.constraint, args.view.callback_id, 'callback_id'));
        if (found.length > 0) return run(found, args);
        await args.ack({ response_action: 'update', view: buildNoticeModal(STALE_CONTROL) });
      });
    },
  };
}
