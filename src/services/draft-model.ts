import type { Env } from '../config/env';
import { type ChatMessage, MODEL_DRAFT_SCHEMA, type ModelAnswer, modelAnswerSchema } from '../domain/reply/model-draft';

// The OpenAI-compatible chat completions call behind optional AI drafting: one POST to
// {base}/chat/completions asking for the draft as JSON (response_format json_schema), with a
// timeout. Written on fetch rather than the openai SDK: it is one request and one parse, and the
// servers this points at (Ollama, vLLM, hosted APIs) agree on this request but not on everything
// the SDK assumes. Every failure is one DraftModelError, so the composer can fall back.

export const DRAFT_MODEL_FAILURES = ['timeout', 'unreachable', 'refused', 'invalid'] as const;
export type DraftModelFailure = (typeof DRAFT_MODEL_FAILURES)[number];

export class DraftModelError extends Error {
  constructor(
    readonly failure: DraftModelFailure,
    detail: string,
  ) {
    super(`${failure}: ${detail}`);
    this.name = 'DraftModelError';
  }
}

export interface DraftModel {
  /** The model's name, shown beside its draft. */
  name: string;
  draft(messages: ChatMessage[]): Promise<ModelAnswer>;
}

export interface DraftModelSettings {
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
}

export function createDraftModel(s: DraftModelSettings): DraftModel {
  const url = `${s.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    name: s.model,
    async draft(messages) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...(s.apiKey ? { authorization: `Bearer ${s.apiKey}` } : {}) },
          body: JSON.stringify({ model: s.model, messages, temperature: 0.2, response_format: { type: 'json_schema', json_schema: MODEL_DRAFT_SCHEMA } }),
          signal: AbortSignal.timeout(s.timeoutMs),
        });
      } catch (err) {
        const e = err as Error;
        if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new DraftModelError('timeout', `no answer within ${s.timeoutMs} ms`);
        throw new DraftModelError('unreachable', e.message);
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        const e = err as Error;
        throw new DraftModelError(e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timeout' : 'unreachable', e.message);
      }
      if (!res.ok) throw new DraftModelError('refused', `the model answered ${res.status} (${text.slice(0, 200)})`);
      let content: unknown;
      try {
        content = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
      } catch {
        throw new DraftModelError('invalid', 'the answer was not JSON');
      }
      if (typeof content !== 'string') throw new DraftModelError('invalid', 'the answer had no message');
      let parsed: unknown;
      try {
        // Some servers wrap JSON in a code fence even when asked not to.
        parsed = JSON.parse(content.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
      } catch {
        throw new DraftModelError('invalid', 'the draft was not JSON');
      }
      const checked = modelAnswerSchema.safeParse(parsed);
      if (!checked.success) throw new DraftModelError('invalid', checked.error.issues.map((i) => `${i.path.join('.') || 'draft'}: ${i.message}`).join('; ').slice(0, 300));
      return checked.data;
    },
  };
}

/** The model from the settings, or null: AI drafting is off unless DRAFT_MODEL_URL and DRAFT_MODEL are set. */
export function draftModelFromEnv(env: Pick<Env, 'DRAFT_MODEL_URL' | 'DRAFT_MODEL_API_KEY' | 'DRAFT_MODEL' | 'DRAFT_MODEL_TIMEOUT_MS'>): DraftModel | null {
  if (!env.DRAFT_MODEL_URL || !env.DRAFT_MODEL) return null;
  return createDraftModel({ baseUrl: env.DRAFT_MODEL_URL, apiKey: env.DRAFT_MODEL_API_KEY, model: env.DRAFT_MODEL, timeoutMs: env.DRAFT_MODEL_TIMEOUT_MS });
}
