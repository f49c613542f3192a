import { describe, expect, test } from 'vitest';
import { requestPolicy } from '../../src/config/review-requests';
import { ConfigError, parseWorkspaceConfig } from '../../src/config/workspace';

const base = `store: { name: Acme, timezone: Europe/Berlin }
channels: { default: C0SUPPORT1, escalation: C0ESCALAT1 }
team: { members: [U0AGENT001] }
`;

function problems(yaml: string): string[] {
  try {
    parseWorkspaceConfig(base + yaml);
    return [];
  } catch (err) {
    return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
}

describe('review_requests config', () => {
  test('off by default, with the brief’s schedule; the home country comes from the store’s time zone', () => {
    const cfg = parseWorkspaceConfig(base);
    expect(cfg.review_requests.enabled).toBe(false);
    const p = requestPolicy(cfg.review_requests, cfg.store.timezone);
    expect(p).toMatchObject({ homeCountry: 'DE', domesticDays: 7, internationalDays: 14, customerCap: 1, customerCapDays: 30, productRepeatDays: 365 });
    expect(p.reminderDays).toHaveLength(2);
    expect([p.windowStartMin, p.windowEndMin]).toEqual([540, 1200]);
  });

  test('a reward setting, a third reminder, a night window or a missing review address is refused with its path', () => {
    expect(problems('review_requests: { enabled: true, review_url: "https://x.example/{product}", incentive: "10% off" }')).toEqual([
      'review_requests.incentive: unknown setting "incentive"',
    ]);
    expect(problems('review_requests: { reminder_days: [3, 5, 7] }')).toEqual(['review_requests.reminder_days: at most two reminders']);
    expect(problems('review_requests: { send_window: "22:00-06:00" }')[0]).toMatch(/^review_requests.send_window: /);
    expect(problems('review_requests: { enabled: true }')[0]).toMatch(/^review_requests.review_url: is needed/);
    expect(problems('review_requests: { delay_days: { countries: { ZZ: 3 } } }')[0]).toMatch(/two-letter country code/);
  });

  test('per-country and per-product delays and a country written in lower case', () => {
    const cfg = parseWorkspaceConfig(`${base}review_requests: { home_country: fr, delay_days: { countries: { us: 10 }, products: { MUG-1: 21 } } }`);
    const p = requestPolicy(cfg.review_requests, cfg.store.timezone);
    expect(p.homeCountry).toBe('FR');
    expect(p.countryDays).toEqual({ US: 10 });
    expect(p.productDays).toEqual({ 'MUG-1': 21 });
  });
});
