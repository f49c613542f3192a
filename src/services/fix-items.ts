import { DateTime } from 'luxon';
import { insertEvent } from '../db/queries/cases';
import { getFixItem, getOpenFixFor, insertFixItem, listOpenFixItems, markFixItemDone } from '../db/queries/digests';
import { enqueue, PRIORITY } from '../db/queries/outbox';
import { FIX_LIST_MAX } from '../domain/digest';
import type { FixItem } from '../db/schema';
import { FixAlreadyOpen, FixNotFound, InvalidInput, NotFixOwner } from '../domain/errors';
import type { FixRequest } from '../slack/ids';
import { requireTeam } from './access';
import type { Deps } from './deps';
import { isSlaManager } from './sla';

// Fix items: "fix the page, not the reply". Created from a repeated question in the digest with
// an owner, a target and a due date; the owner gets a DM; marking it done starts the loop the
// next digests report (the tag's volume before the fix and since).

export const FIX_ORDER_PREFIX = 'fix:';
/** The owner's DM about a new fix, rendered from the fix when it is delivered. */

/** A week from today (store time): the form's suggested due date. */
export function defaultDueDate(deps: Pick<Deps, 'config' | 'clock'>): string {
  return DateTime.fromJSDate(deps.clock(), { zone: deps.config.store.timezone }).plus({ weeks: 1 }).toISODate()!;
}

export interface FixForm {
  ownerId: string | null;
  target: string | null;
  dueOn: string | null;
  note: string;
}

/** Problems with a submitted form, by the block that shows them (Slack puts them under the field). */
export function checkFixForm(deps: Pick<Deps, 'config' | 'clock'>, form: FixForm, blocks: { owner: string; target: string; due: string }) {
  const errors: Record<string, string> = {};
  if (!form.ownerId) errors[blocks.owner] = 'Pick who owns the fix.';
  if (!form.target || !deps.config.digest.fix_targets.some((t) => t.id === form.target)) errors[blocks.target] = 'Pick what changes.';
  const today = DateTime.fromJSDate(deps.clock(), { zone: deps.config.store.timezone }).toISODate()!;
  if (!form.dueOn || !/^\d{4}-\d{2}-\d{2}$/.test(form.dueOn)) errors[blocks.due] = 'Pick a due date.';
  else if (form.dueOn < today) errors[blocks.due] = 'The due date has passed; pick today or later.';
  return errors;
}

/** `subject`: how the fix is named to people, for the refusal when one is already open. */
export async function createFix(
  deps: Deps,
  params: { actor: string; request: FixRequest; form: FixForm; subject: string },
): Promise<FixItem> {
  await requireTeam(deps, { caseId: null, actor: params.actor, attempted: 'fix_create', what: 'create fixes', via: 'modal' });
  const { request, form } = params;
  if (!form.ownerId || !form.target || !form.dueOn) throw new InvalidInput('A fix needs an owner, a target and a due date.');
  const now = deps.clock();
  const item = await deps.db.transaction(async (tx) => {
    const row = {
      tag: request.t,
      productKey: request.p ?? null,
      productLabel: request.l ?? null,
      target: form.target!,
      ownerId: form.ownerId!,
      dueOn: form.dueOn!,
      note: form.note.trim() || null,
      weekStart: request.w,
      weekCount: request.n,
      createdBy: params.actor,
      createdAt: now,
    };
    const created = await insertFixItem(tx, row);
    if (!created) {
      const open = await getOpenFixFor(tx, row);
      throw new FixAlreadyOpen(params.subject, open?.ownerId ?? row.ownerId);
    }
    await insertEvent(tx, {
      caseId: null,
      actor: params.actor,
      action: 'fix_created',
      data: { fixId: created.id, tag: created.tag },
      at: now,
    });
    await enqueue(tx, [
      {
        kind: 'fix_dm',
        channel: created.ownerId,
        orderKey: `${FIX_ORDER_PREFIX}${created.id}`,
        payload: { fixId: created.id },
        priority: PRIORITY.interactive,
      },
    ]);
    return created;
  });
  deps.notify();
  return item;
}

/** Marks a fix done (its owner, its creator or a manager); a second click changes nothing. */
export async function completeFix(deps: Deps, params: { actor: string; fixId: number }): Promise<{ item: FixItem; changed: boolean }> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const item = await getFixItem(tx, { id: params.fixId, forUpdate: true });
    if (!item) throw new FixNotFound(params.fixId);
    if (params.actor !== item.ownerId && params.actor !== item.createdBy && !isSlaManager(deps.config, params.actor)) {
      throw new NotFixOwner(params.actor);
    }
    if (item.state === 'done') return { item, changed: false };
    const done = (await markFixItemDone(tx, { id: item.id, by: params.actor, at: now }))!;
    await insertEvent(tx, { caseId: null, actor: params.actor, action: 'fix_done', data: { fixId: item.id, tag: item.tag }, at: now });
    return { item: done, changed: true };
  });
}

/** `/trustloop fixes`: the open fixes, soonest due first. */
export async function openFixes(deps: Deps): Promise<{ items: FixItem[]; total: number }> {
  return listOpenFixItems(deps.db, { limit: FIX_LIST_MAX });
}
