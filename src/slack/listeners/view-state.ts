import { z } from 'zod';

// Values of a submitted modal, read in one place: each input block holds one element whose
// action id is the same ("value"), so a block id names the field.

const stateValue = z
  .object({
    value: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).nullish(),
    selected_options: z.array(z.object({ value: z.string() })).nullish(),
    selected_user: z.string().nullish(),
    selected_date: z.string().nullish(),
  })
  .passthrough();

export type ViewValues = Record<string, Record<string, unknown>>;

function read(values: ViewValues, block: string, actionId: string) {
  const raw = values[block]?.[actionId];
  return raw === undefined ? null : stateValue.parse(raw);
}

export function textOf(values: ViewValues, block: string, actionId: string): string {
  return read(values, block, actionId)?.value ?? '';
}

export function selectedOf(values: ViewValues, block: string, actionId: string): string[] {
  return (read(values, block, actionId)?.selected_options ?? []).map((o) => o.value);
}

export function optionOf(values: ViewValues, block: string, actionId: string): string | null {
  return read(values, block, actionId)?.selected_option?.value ?? null;
}

export function userOf(values: ViewValues, block: string, actionId: string): string | null {
  return read(values, block, actionId)?.selected_user ?? null;
}

export function dateOf(values: ViewValues, block: string, actionId: string): string | null {
  return read(values, block, actionId)?.selected_date ?? null;
}
