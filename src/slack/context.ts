import { z } from 'zod';

// Buttons and modals carry a small JSON context ({ c: caseId, m?: messageId }) in `value`
// or `private_metadata`; it is encoded and checked here and nowhere else.

const contextSchema = z.object({
  c: z.number().int().positive(),
  m: z.number().int().positive().optional(),
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
