import type { RespondFn } from '@slack/bolt';

/** Tells only the person who acted (ephemeral), leaving the card as it is. */
export async function tell(respond: RespondFn, text: string): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: false, text });
}
