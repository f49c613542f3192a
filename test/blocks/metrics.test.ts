import { describe, expect, test } from 'vitest';
import { buildHomeView, buildMetricsReport, buildMineReport, change, openCaseText, type OpenCaseLine, sourceLabel } from '../../blocks/metrics';
import { emptyBreakdownRow, type PeriodMetrics } from '../../src/domain/metrics';
import { toCsv } from '../../src/services/metrics';
import { HOME, METRICS_BLOCK } from '../../src/slack/ids';
import { blockProblems, viewProblems } from '../../src/sandbox/slack/block-limits';
import { blockById } from '../support/factories';

describe('toCsv', () => {
  test('quotes, commas and line breaks are quoted; formulas are defused; numbers and empties kept', () => {
    const csv = toCsv([
      { id: 1, comment: 'He said "late", twice', note: 'line one\nline two', n: -5, none: null, ok: true },
      { id: 2, comment: '=HYPERLINK("http://x")', note: '+1 555', n: 0, none: '-2+3', ok: false },
      { id: 3, comment: '@SUM(A1)', note: '\tTab', n: 1.5, none: 'plain', ok: null },
    ]);
    expect(csv).toBe(
      [
        'id,comment,note,n,none,ok',
        '1,"He said ""late"", twice","line one\nline two",-5,,true',
        `2,"'=HYPERLINK(""http://x"")",'+1 555,0,'-2+3,false`,
        "3,'@SUM(A1),'\tTab,1.5,plain,",
        '',
      ].join('\r\n'),
    );
  });

  test('no rows, no file content', () => {
    expect(toCsv([])).toBe('');
  });
});

describe('change against the previous period', () => {
  test('percent for counts and times, points for shares, difference for ratings', () => {
    expect(change(12, 10, 'relative')).toBe(' ↑ 20%');
    expect(change(9, 12, 'relative')).toBe(' ↓ 25%');
    expect(change(3, 0, 'relative')).toBe(' ↑ new');
    expect(change(0, 0, 'relative')).toBe(' → 0%');
    expect(change(0.5, 0.75, 'points')).toBe(' ↓ 25 pts');
    expect(change(4.25, 4, 'rating')).toBe(' ↑ 0.3');
    expect(change(null, 4, 'rating')).toBe('');
    expect(change(4, null, 'relative')).toBe('');
  });
});

const empty: PeriodMetrics = {
  cases: 0,
  firstResponse: {
    count: 0,
    medianMs: null,
    p90Ms: null,
    businessMedianMs: null,
    businessP90Ms: null,
    withinSla: null,
    unansweredPastTarget: 0,
  },
  resolution: { count: 0, medianMs: null, p90Ms: null, businessMedianMs: null, businessP90Ms: null },
  firstContactResolution: { resolved: 0, firstContact: 0, share: null },
  csat: { responses: 0, average: null, satisfiedShare: null },
  reviews: null,
};

describe('report and home within Slack limits whatever the data', () => {
  test('a report with no data shows dashes, and breakdown keys are escaped', () => {
    const r = buildMetricsReport({
      title: 'Team metrics',
      periodLabel: 'last 7 days',
      periodDetail: 'a – b',
      scope: null,
      current: empty,
      previous: empty,
      breakdowns: [
        {
          title: 'By source',
          rows: Array.from({ length: 12 }, (_, i) => ({ ...emptyBreakdownRow(`<!channel> ${i}`), cases: 12 - i })),
          label: (k) => (k ?? 'none').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
        },
      ],
      exportHint: null,
    });
    expect(blockProblems(r.blocks)).toEqual([]);
    expect(blockById(r.blocks!, METRICS_BLOCK.summary).fields.map((f: { text: string }) => f.text)).toEqual([
      '*Cases received*\n0 → 0%',
      '*First reply* median / p90\n– / –\n_business hours:_ – / –',
      '*First reply within SLA*\n–',
      '*Resolution* median / p90\n– / –\n_business hours:_ – / –',
      '*First contact resolution*\n–',
      '*CSAT*\n–',
    ]);
    const text = blockById(r.blocks!, `${METRICS_BLOCK.breakdown}.0`).text.text as string;
    expect(text).not.toContain('<!channel>');
    expect(text.split('\n')).toHaveLength(1 + 8 + 1);
    expect(text.endsWith('and 4 more')).toBe(true);
  });

  test('review and dispute cases are named as the team reads them, never as raw keys', () => {
    expect(['email', 'live_chat', 'review', 'dispute', null].map(sourceLabel)).toEqual(['Email', 'Live chat', 'Reviews', 'Disputes', 'none']);
  });

  test('the home tab stays within 100 blocks with many cases and hostile subjects', () => {
    const cases: OpenCaseLine[] = Array.from({ length: 60 }, (_, i) => ({
      caseId: i + 1,
      subject: `<!here> ${'x'.repeat(500)}`,
      status: 'open',
      slaText: 'first reply due in 10m',
      risk: 'at_risk',
      cardUrl: null,
      channelId: 'C0EMAIL01',
    }));
    const report = buildMetricsReport({
      title: 'This week',
      periodLabel: 'this week',
      periodDetail: 'a – b',
      scope: null,
      current: empty,
      previous: empty,
      breakdowns: [],
      exportHint: null,
    });
    const view = buildHomeView({
      now: new Date('2026-11-27T10:00:00Z'),
      cases,
      more: 5,
      team: {
        queue: { text: 'q', blocks: [{ type: 'section', block_id: 'queue_header', text: { type: 'mrkdwn', text: 'q' } }] },
        sla: { breached: 1, atRisk: 2, cappedAt: null },
        week: report,
      },
    });
    expect(viewProblems(view)).toEqual([]);
    expect(blockById(view.blocks, HOME.block.sla).text.text).toBe(
      '*SLA health* :red_circle: 1 breached · :warning: 2 at risk · `/trustloop sla` lists them',
    );
    // More cases at risk than were looked at: the counts say so.
    const capped = buildHomeView({
      now: new Date('2026-11-27T10:00:00Z'),
      cases,
      more: 5,
      team: { queue: { text: 'q', blocks: [] }, sla: { breached: 480, atRisk: 20, cappedAt: 500 }, week: report },
    });
    expect(blockById(capped.blocks, HOME.block.sla).text.text).toBe(
      '*SLA health* :red_circle: 480+ breached · :warning: 20+ at risk (of the 500 cases most at risk) · `/trustloop sla` lists them',
    );
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view)).not.toContain('<!here>');
    expect(blockById(view.blocks, HOME.block.mineMore).elements[0].text).toBe('and 40 more: `/trustloop mine` lists them');
  });
});

describe('buildMineReport', () => {
  test('47 open cases: whole lines while they fit the section, then the true remainder', () => {
    const cases: OpenCaseLine[] = Array.from({ length: 40 }, (_, i) => ({
      caseId: 100000 + i,
      subject: `Order #${1000 + i} arrived damaged & the replacement <never> came — please help`,
      status: 'open',
      slaText: 'first reply overdue by 2h 10m',
      risk: 'breached',
      cardUrl: `https://acme-linen.slack.com/archives/C0EMAIL01/p17000000000${String(i).padStart(5, '0')}`,
      channelId: 'C0EMAIL01',
    }));
    const r = buildMineReport({ cases, more: 7, report: { text: 'My figures', blocks: [] } });
    expect(blockProblems(r.blocks!)).toEqual([]);
    const text = (blockById(r.blocks!, METRICS_BLOCK.mine) as { text: { text: string } }).text.text;
    const [header, ...rest] = text.split('\n');
    expect(header).toBe('*Your open cases (47)*');
    const shown = rest.slice(0, -1);
    // Each line is a whole case line, in order; the last line counts every case not shown.
    expect(shown).toEqual(cases.slice(0, shown.length).map((l) => openCaseText(l).replace('\n', ' — ')));
    expect(rest.at(-1)).toBe(`and ${47 - shown.length} more`);
    // Every line that fits is shown: one more would pass the 3000-character section limit.
    const withOneMore = `${text}\n${openCaseText(cases[shown.length]!).replace('\n', ' — ')}`;
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(withOneMore.length).toBeGreaterThan(3000);
    expect(shown.length).toBe(13);
  });

  test('a short list: every case and no remainder line', () => {
    const line: OpenCaseLine = {
      caseId: 7,
      subject: 'Late',
      status: 'open',
      slaText: null,
      risk: 'ok',
      cardUrl: null,
      channelId: 'C0EMAIL01',
    };
    const r = buildMineReport({ cases: [line], more: 0, report: { text: 'x', blocks: [] } });
    expect((blockById(r.blocks!, METRICS_BLOCK.mine) as { text: { text: string } }).text.text).toBe(
      `*Your open cases (1)*\n${openCaseText(line).replace('\n', ' — ')}`,
    );
  });
});
