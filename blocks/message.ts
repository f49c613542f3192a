import type { KnownBlock } from '@slack/types';

/** A Slack message as the builders return it: the notification text and the blocks. */
export interface CaseMessage {
  text: string;
  blocks: KnownBlock[];
}
