import { z } from 'zod';
import { BLOCK } from './ids';

// Buttons and modals carry a small JSON context ({ c: caseId, m?: messageId, o?: owner shown on
// the card }) in `value` or `private_metadata`; menus, which have no value, carry the case id in
// their block_id. All of it is encoded and checked here and nowhere else.

const contextSchema = z.object({
  c: z.number().int().positive(),
  m: z.number().int().positive().optional(),
  o: z.string().nullable().optional(),
});

export type ActionContext = z.infer<typeof contextSchema>;

export function encodeContext(ctx: ActionContext): string {
  return JSON.stringify(ctx);
}

export function decodeContext(raw: string | undefined | null): ActionContext {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    throw new Error('action context is not JSON');
  }
  return contextSchema.parse(parsed);
}

/** The card's actions block id: it names the case, so its menus work even before the card's ts is stored. */
export function cardActionsBlockId(caseId: number): string {
  return `${BLOCK.actions}.${caseId}`;
}

export function caseIdFromBlockId(blockId: string | undefined): number | null {
  const m = new RegExp(`^${BLOCK.actions}\\.(\\d+)$`).exec(blockId ?? '');
  return m ? Number(m[1]) : null;
}

// Review, UGC and draft buttons: { r: review id } for UGC posts, which belong to no
// case; { c: case id, d: draft id } for a draft's Approve button.
const refContextSchema = z.object({
  c: z.number().int().positive().optional(),
  r: z.number().int().positive().optional(),
  d: z.number().int().positive().optional(),
});

export type RefContext = z.infer<typeof refContextSchema>;

export function encodeRefContext(ctx: RefContext): string {
  return JSON.stringify(ctx);
}

export function decodeRefContext(raw: string | undefined | null): RefContext {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    throw new Error('action context is not JSON');
  }
  return refContextSchema.parse(parsed);
}

// Digest buttons: Create fix carries the question ({ t: tag, p: product key, l: product
// label, w: week start, n: the week's count }); a fix item's buttons carry { f: fix id }.
const fixRequestSchema = z.object({
  t: z.string().min(1).max(64),
  // A product key whole: "name:" and a product name of up to 500 characters, lower-cased.
  p: z.string().max(1100).optional(),
  l: z.string().max(300).optional(),
  w: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  n: z.number().int().min(0),
});

export type FixRequest = z.infer<typeof fixRequestSchema>;

export function encodeFixRequest(ctx: FixRequest): string {
  return JSON.stringify(ctx);
}

export function decodeFixRequest(raw: string | undefined | null): FixRequest {
  return fixRequestSchema.parse(parseJson(raw));
}

const fixRefSchema = z.object({ f: z.number().int().positive() });

export function encodeFixRef(id: number): string {
  return JSON.stringify({ f: id });
}

export function decodeFixRef(raw: string | undefined | null): number {
  return fixRefSchema.parse(parseJson(raw)).f;
}

function parseJson(raw: string | undefined | null): unknown {
  try {
    return JSON.parse(raw ?? '');
  } catch {
    throw new Error('action context is not JSON');
  }
}
