import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox';
import { chromiumPath, launchChromium } from '../support/browser';
import '../support/suite';

// The sandbox page in a real headless Chromium: the sample cards show, a click reaches the app
// signed as Slack signs it and the card changes in place, the Escalate modal submits, a slash
// command answers the manager, and the outsider is refused.

const executable = chromiumPath();
if (!executable) console.warn('sandbox page tests skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)');

describe.skipIf(!executable)('the sandbox page in Chromium', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tl-sandbox-page-'));
    sandbox = await startSandbox({ TRUSTLOOP_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }, () => {});
    await sandbox.seeded();
    browser = await launchChromium(executable!);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(sandbox.pageUrl);
    await page.waitForSelector('body[data-ready="true"]');
    // The app, its database and the sample data start inside this worker: on a busy machine that takes a while.
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  const card = (subject: string) => page.locator('#messages .message', { has: page.locator('.block.header', { hasText: subject }) });

  async function as(person: 'Alex' | 'Morgan' | 'Olive') {
    const value = await page.locator('#user-picker option', { hasText: person }).getAttribute('value');
    await page.selectOption('#user-picker', value!);
    await expect.poll(() => page.inputValue('#user-picker')).toBe(value);
  }

  async function command(text: string) {
    await page.fill('#composer', text);
    await page.press('#composer', 'Enter');
  }

  test('the channels are listed and a sample card shows in #support', async () => {
    const channels = await page.locator('#channels .channel-link').allTextContents();
    expect(channels).toEqual(['# support', '# live-chat', '# social', '# reviews', '# disputes', '# escalation', '# digest', '# ugc']);
    await page.click('#channels .channel-link[data-channel="C0SBSUPPRT"]');
    await expect.poll(() => card('Tracking number?').count(), { timeout: 30_000 }).toBe(1);
    const text = await card('Tracking number?').innerText();
    expect(text).toContain('Emma Wilson');
    expect(text).toContain('Claim');
  });

  test('customer text is shown as typed: markup in a name stays text', async () => {
    await page.click('#channels .channel-link[data-channel="C0SBCHAT01"]');
    const refund = card('Refund still missing');
    await expect.poll(() => refund.count(), { timeout: 30_000 }).toBe(1);
    expect(await refund.innerText()).toContain('Sarah <script>alert(1)</script> Miller');
    expect(await page.locator('#messages script').count()).toBe(0);
  });

  test('the outsider clicking Claim is refused, and the card stays unclaimed', async () => {
    await page.click('#channels .channel-link[data-channel="C0SBSUPPRT"]');
    await as('Olive');
    await card('Tracking number?').getByRole('button', { name: 'Claim', exact: true }).click();
    await expect.poll(() => page.locator('#messages .message.ephemeral').innerText(), { timeout: 30_000 }).toMatch(/team/i);
    expect(await card('Tracking number?').innerText()).toContain('unowned');
  });

  test('the agent claims a card and it changes in place, live', async () => {
    await as('Alex');
    const tracking = card('Tracking number?');
    const ts = await tracking.getAttribute('data-ts');
    expect(await tracking.innerText()).toContain('unowned');
    await tracking.getByRole('button', { name: 'Claim', exact: true }).click();
    await expect.poll(() => tracking.innerText(), { timeout: 30_000 }).toContain('@Alex');
    expect(await tracking.innerText()).not.toContain('unowned');
    // The same message was edited (chat.update), not a new one posted.
    expect(await tracking.getAttribute('data-ts')).toBe(ts);
  });

  test('the Escalate modal opens, takes a reason and the card shows the escalation', async () => {
    const lavaggio = card('Lavaggio');
    expect(await lavaggio.innerText()).not.toMatch(/Escalated/);
    await lavaggio.getByRole('button', { name: 'Escalate', exact: true }).click();
    await page.waitForSelector('#modal:not([hidden])');
    expect(await page.locator('#modal-title').innerText()).toMatch(/^Escalate TL-/);
    await page.locator('#modal-body textarea').fill('The customer asks about washing; our care page is out of date.');
    await page.click('#modal-submit');
    await page.waitForSelector('#modal[hidden]', { state: 'attached' });
    await expect.poll(() => lavaggio.innerText(), { timeout: 30_000 }).toMatch(/Escalated/);
  });

  test('a reaction shows on the message, counted and marked as mine', async () => {
    const lavaggio = card('Lavaggio');
    await lavaggio.locator('[data-add-reaction="eyes"]').click();
    await expect.poll(() => lavaggio.locator('.reaction.mine').innerText(), { timeout: 10_000 }).toContain('1');
  });

  test('App Home shows the agent their cases and tells the outsider it is for the team', async () => {
    await as('Alex');
    await page.click('#home-link');
    await expect.poll(() => page.locator('#messages .home').innerText(), { timeout: 30_000 }).toContain('Your open cases');
    await as('Olive');
    await expect
      .poll(() => page.locator('#messages .home').innerText(), { timeout: 30_000 })
      .toContain('Trustloop is for the support team');
    await page.click('#channels .channel-link[data-channel="C0SBSUPPRT"]');
  });

  test('/trustloop metrics answers the manager with figures and refuses the outsider', async () => {
    await as('Morgan');
    await command('/trustloop metrics');
    const answer = page.locator('#messages .message.ephemeral', { hasText: /metrics/i }).last();
    await expect.poll(() => answer.innerText(), { timeout: 30_000 }).toMatch(/\d+ cases?/);

    await as('Olive');
    await command('/trustloop metrics');
    await expect
      .poll(() => page.locator('#messages .message.ephemeral').last().innerText(), { timeout: 30_000 })
      .toContain('Only managers can see');
    // Morgan's answer is Morgan's alone: Olive's page does not show it.
    expect(await page.locator('#messages .message.ephemeral', { hasText: /\d+ cases?/ }).count()).toBe(0);
  });

  // Last: it throws away what the tests above did.
  test('"Start over" asks first, then brings back fresh sample data: the claimed card is unowned again', async () => {
    await as('Alex');
    await page.click('#channels .channel-link[data-channel="C0SBSUPPRT"]');
    await expect.poll(() => card('Tracking number?').innerText(), { timeout: 30_000 }).toContain('@Alex');
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.accept();
    });
    await page.click('#reset');
    expect(asked[0]).toMatch(/fresh sample data/);
    await expect.poll(() => card('Tracking number?').count(), { timeout: 120_000 }).toBe(1);
    await expect.poll(() => card('Tracking number?').innerText(), { timeout: 120_000 }).toContain('unowned');
    expect(await card('Tracking number?').innerText()).not.toContain('@Alex');
  }, 180_000);
});
