import { describe, expect, test } from 'vitest';
import { buildCaseCard } from '../../blocks/case-card';
import {
  buildReminderDm,
  buildReminderThreadMessage,
  buildSlaEscalationPost,
  buildSlaReport,
  buildSlaSection,
  type CaseLine,
} from '../../blocks/sla';
import { slaConfigSchema } from '../../src/config/sla';
import { slaStateOrNull } from '../../src/domain/sla-case';
import { DEFAULT_TAGS } from '../../src/domain/tag-catalogue';
import { cardActionsBlockId, BLOCK, SLA_ACTION, SLA_BLOCK } from '../../src/slack/ids';
import { blockProblems } from '../../src/sandbox/slack/block-limits';
import { blockById, caseRow } from '../support/factories';

// 24/7, first reply 1h, next reply 30m, resolution 8h, ladder 75 / 100 / 150.
const config = slaConfigSchema.parse({ defaults: { targets: { first_response: '1h', next_response: '30m', resolution: '8h' } } });
const received = new Date('2026-11-27T09:00:00Z');
const at = (iso: string) => new Date(iso);
const date = (d: Date, text: string) => `<!date^${d.getTime() / 1000}^{date_short_pretty} {time}|${text}>`;

function section(overrides: Parameters<typeof caseRow>[0], iso: string) {
  const c = caseRow({ id: 7, receivedAt: received, ...overrides });
  const state = slaStateOrNull(config, c, at(iso))!;
  return buildSlaSection(c, state, at(iso));
}

describe('the SLA line on the card', () => {
  test('running: the most urgent target first, with its due time, and the Waiting on customer button', () => {
    const s = section({ status: 'open' }, '2026-11-27T09:40:00Z');
    expect(s.block_id).toBe(SLA_BLOCK.card);
    expect(s.text!.text).toBe(
      `:stopwatch: First reply due in 20m (by ${date(at('2026-11-27T10:00:00Z'), '2026-11-27 10:00 UTC')}) · ` +
        `resolution due in 7h 20m (by ${date(at('2026-11-27T17:00:00Z'), '2026-11-27 17:00 UTC')})`,
    );
    expect(s.accessory).toEqual({
      type: 'button',
      action_id: SLA_ACTION.wait,
      text: { type: 'plain_text', text: 'Waiting on customer' },
      value: '{"c":7}',
    });
  });

  test('past the warning rung it shows a warning sign; past due, how long ago it was breached', () => {
    expect(section({ status: 'open' }, '2026-11-27T09:50:00Z').text!.text).toMatch(/^:warning: First reply due in 10m/);
    expect(section({ status: 'open' }, '2026-11-27T10:35:00Z').text!.text).toMatch(
      /^:red_circle: First reply breached 35m ago \(due <!date\^\d+\^[^>]+\|2026-11-27 10:00 UTC>\) · resolution due/,
    );
  });

  test('waiting on the customer: paused clocks, and the button ends the wait', () => {
    const s = section({ status: 'waiting', slaPauses: [{ from: '2026-11-27T09:30:00.000Z', to: null }] }, '2026-11-27T12:00:00Z');
    expect(s.text!.text).toBe(
      ':double_vertical_bar: First reply paused, 30m left · resolution paused, 7h 30m left\n' +
        ':double_vertical_bar: Waiting on the customer: the clocks are paused until they write.',
    );
    expect(s.accessory).toMatchObject({ action_id: SLA_ACTION.resume, text: { text: 'Stop waiting' } });
  });

  test('resolved: the outcome of each target, and no button', () => {
    const s = section(
      {
        status: 'resolved',
        firstResponseAt: at('2026-11-27T09:20:00Z'),
        resolvedAt: at('2026-11-27T18:00:00Z'),
        slaResolutions: [{ resolvedAt: '2026-11-27T18:00:00.000Z', reopenedAt: null }],
      },
      '2026-11-27T19:00:00Z',
    );
    expect(s.text!.text).toBe(':x: First reply met · resolution missed by 1h');
    expect(s.accessory).toBeUndefined();
  });

  test('the card carries the SLA line between its facts and its buttons, within Block Kit limits', () => {
    const c = caseRow({ receivedAt: received, status: 'open' });
    const card = buildCaseCard(c, {
      tags: DEFAULT_TAGS,
      now: at('2026-11-27T09:40:00Z'),
      sla: slaStateOrNull(config, c, at('2026-11-27T09:40:00Z')),
    });
    const ids = card.blocks.map((b) => b.block_id);
    expect(ids.indexOf(SLA_BLOCK.card)).toBe(ids.indexOf(BLOCK.fields) + 1);
    expect(ids.indexOf(cardActionsBlockId(c.id))).toBeGreaterThan(ids.indexOf(SLA_BLOCK.card));
    expect(blockProblems(card.blocks)).toEqual([]);
  });
});

describe('reminders in the card’s thread', () => {
  const state = slaStateOrNull(config, caseRow({ id: 7, receivedAt: received }), at('2026-11-27T09:45:00Z'))!.targets[0]!;

  test('the warning mentions the owner, or a user group as a group mention', () => {
    const note = {
      caseId: 7,
      kind: 'warning' as const,
      target: 'first_response',
      state,
      percent: 75,
      dmTo: [],
      escalationChannel: 'C0ESC',
    };
    expect(buildReminderThreadMessage({ ...note, mention: 'U0AGENT' }, at('2026-11-27T09:45:00Z')).text).toBe(
      `:hourglass_flowing_sand: <@U0AGENT> TL-7: first reply due in 15m, by ${date(at('2026-11-27T10:00:00Z'), '2026-11-27 10:00 UTC')} (75% of the 1h target used).`,
    );
    expect(buildReminderThreadMessage({ ...note, mention: 'S0ONDUTY' }, at('2026-11-27T09:45:00Z')).text).toMatch(
      /^:hourglass_flowing_sand: <!subteam\^S0ONDUTY> TL-7:/,
    );
  });

  test('the breach says a DM went to the owner without pinging them twice; the escalation names the channel', () => {
    const breached = slaStateOrNull(config, caseRow({ id: 7, receivedAt: received }), at('2026-11-27T10:00:10Z'))!.targets[0]!;
    const base = { caseId: 7, target: 'first_response', state: breached, mention: null, escalationChannel: 'C0ESC' };
    expect(buildReminderThreadMessage({ ...base, kind: 'breach', dmTo: ['U0AGENT'] }, at('2026-11-27T10:00:10Z')).text).toBe(
      `:red_circle: TL-7: first reply breached just now (due ${date(at('2026-11-27T10:00:00Z'), '2026-11-27 10:00 UTC')}). The owner gets a DM.`,
    );
    const late = slaStateOrNull(config, caseRow({ id: 7, receivedAt: received }), at('2026-11-27T10:30:00Z'))!.targets[0]!;
    expect(
      buildReminderThreadMessage({ ...base, state: late, kind: 'escalation', percent: 150, dmTo: ['U0BOSS'] }, at('2026-11-27T10:30:00Z'))
        .text,
    ).toBe(':rotating_light: TL-7: first reply breached 30m ago (150% of the 1h target): escalated to <#C0ESC>. The manager gets a DM.');
    expect(
      buildReminderThreadMessage({ ...base, target: 'must_escalate', kind: 'escalation', dmTo: ['U1', 'U2'] }, at('2026-11-27T10:30:00Z'))
        .text,
    ).toBe(':rotating_light: TL-7 must be handled by a person (a must-escalate rule flagged it). The managers get a DM.');
  });
});

describe('the escalation channel post', () => {
  test('links to the card, says why, and escapes the subject', () => {
    const post = buildSlaEscalationPost({
      c: { id: 7, subject: 'Refund <!channel> now', priority: 'high', ownerId: 'U0AGENT', channelId: 'C0EMAIL' },
      target: 'first_response',
      statusText: 'first reply breached 30m ago',
      cardUrl: 'https://acme.slack.com/archives/C0EMAIL/p123',
    });
    expect(blockById(post.blocks, SLA_BLOCK.escalation).text.text).toBe(
      ':rotating_light: <https://acme.slack.com/archives/C0EMAIL/p123|TL-7 · Refund &lt;!channel&gt; now> is escalated: first reply breached 30m ago',
    );
    expect(blockById(post.blocks, SLA_BLOCK.escalationFacts).elements[0].text).toBe('owner <@U0AGENT> · priority *high* · in <#C0EMAIL>');
    expect(post.text).toBe('TL-7 escalated: first reply breached 30m ago');
  });
});

describe('the batched DM', () => {
  const line = (i: number, kind: CaseLine['kind']): CaseLine => ({
    caseId: i,
    subject: `Case ${i}`,
    cardUrl: `https://acme.slack.com/archives/C1/p${i}`,
    kind,
    statusText: `first reply breached ${i}m ago`,
  });

  test('lists several cases in one message, most severe first, capped with "and N more"', () => {
    const items = [
      line(1, 'warning'),
      line(2, 'breach'),
      line(3, 'escalation'),
      ...Array.from({ length: 9 }, (_, i) => line(10 + i, 'breach')),
    ];
    const dm = buildReminderDm(items, { max: 10 });
    expect(blockById(dm.blocks, SLA_BLOCK.dmHeader).text.text).toBe(':bell: *12 cases need you: response targets are close or missed*');
    const lines = (blockById(dm.blocks, `${SLA_BLOCK.dmItems}.0`).text.text as string).split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe(
      '• :rotating_light: <https://acme.slack.com/archives/C1/p3|TL-3 · Case 3>: escalated: first reply breached 3m ago',
    );
    expect(lines[1]).toBe('• :red_circle: <https://acme.slack.com/archives/C1/p2|TL-2 · Case 2>: first reply breached 2m ago');
    expect(lines.some((l) => l.includes('TL-1 ·'))).toBe(false); // the warning is the least severe: cut first
    expect(lines[10]).toBe('and 2 more');
    expect(dm.text).toBe('TL-3: first reply breached 3m ago, and 11 more');
    expect(blockProblems(dm.blocks)).toEqual([]);
  });

  test('fifty long lines still fit Slack’s limits (packed into several sections)', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ ...line(i + 1, 'breach'), subject: 'x'.repeat(300) }));
    const dm = buildReminderDm(items, { max: 50 });
    expect(dm.blocks.filter((b) => b.block_id?.startsWith(SLA_BLOCK.dmItems)).length).toBeGreaterThan(1);
    expect(blockProblems(dm.blocks)).toEqual([]);
  });

  test('reminders only counted (a DM that waited long) add to "and N more" and to the total', () => {
    const dm = buildReminderDm([line(1, 'breach'), line(2, 'breach')], { max: 10, more: 40 });
    expect(blockById(dm.blocks, SLA_BLOCK.dmHeader).text.text).toBe(':bell: *42 cases need you: response targets are close or missed*');
    expect((blockById(dm.blocks, `${SLA_BLOCK.dmItems}.0`).text.text as string).split('\n').pop()).toBe('and 40 more');
  });

  test('escalations only: says they were escalated to you', () => {
    expect(blockById(buildReminderDm([line(4, 'escalation')], { max: 10 }).blocks, SLA_BLOCK.dmHeader).text.text).toBe(
      ':rotating_light: *1 case was escalated to you*',
    );
  });
});

describe('/trustloop sla report, when more cases are at risk than are checked', () => {
  test('says how many there are in all and lists the longest at risk', () => {
    const line = (i: number): CaseLine => ({
      caseId: i,
      subject: `S${i}`,
      cardUrl: null,
      kind: 'breach',
      statusText: 'first reply breached 2d ago',
    });
    const r = buildSlaReport({
      scope: 'in every channel',
      breached: Array.from({ length: 500 }, (_, i) => line(i + 1)),
      atRisk: [],
      max: 40,
      moreThanChecked: 52_113,
    });
    expect(blockById(r.blocks, SLA_BLOCK.reportHeader).text.text).toBe(
      '*Response targets in every channel:* 52,113 open cases breached or at risk; the 500 longest at risk are sorted below',
    );
    const listed = r.blocks.filter((b) => b.block_id?.startsWith(SLA_BLOCK.reportBreached)).flatMap((b: any) => b.text.text.split('\n'));
    expect(listed.filter((l: string) => l.startsWith('• '))).toHaveLength(40);
    expect(listed[listed.length - 1]).toBe('and 460 more');
    expect(blockProblems(r.blocks)).toEqual([]);
  });
});

describe('/trustloop sla report', () => {
  test('breached then at risk, with owner and channel; nothing at risk says so', () => {
    const r = buildSlaReport({
      scope: 'in <#C1> and on cases you own',
      breached: [
        {
          caseId: 1,
          subject: 'Late',
          cardUrl: null,
          kind: 'breach',
          statusText: 'first reply breached 1h ago',
          ownerId: null,
          channelId: 'C1',
        },
      ],
      atRisk: [
        {
          caseId: 2,
          subject: 'Soon',
          cardUrl: 'https://x/p2',
          kind: 'warning',
          statusText: 'resolution due in 5m',
          ownerId: 'U0A',
          channelId: 'C1',
          mustEscalate: true,
        },
      ],
      max: 40,
    });
    expect(blockById(r.blocks, SLA_BLOCK.reportHeader).text.text).toBe(
      '*Response targets in <#C1> and on cases you own:* 1 breached, 1 at risk',
    );
    expect(blockById(r.blocks, `${SLA_BLOCK.reportBreached}.0`).text.text).toBe(
      ':red_circle: *Breached*\n• :red_circle: TL-1 · Late: first reply breached 1h ago · unowned · <#C1>',
    );
    expect(blockById(r.blocks, `${SLA_BLOCK.reportAtRisk}.0`).text.text).toBe(
      ':warning: *At risk*\n• :hourglass_flowing_sand: <https://x/p2|TL-2 · Soon>: resolution due in 5m · <@U0A> · <#C1> · :rotating_light: must be handled by a person',
    );
    expect(r.text).toBe('Response targets in <#C1> and on cases you own: 1 breached, 1 at risk');
    const none = buildSlaReport({ scope: 'in every channel', breached: [], atRisk: [], max: 40 });
    expect(none.text).toBe(':white_check_mark: No open case in every channel is at risk of missing its response targets.');
  });
});
