import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countUnfinished } from '../../src/db/queries/outbox';
import { startSandbox } from '../../src/sandbox';
import { chromiumPath, launchChromium } from '../support/browser';

// `npm run screenshots`: the README's pictures, taken from the sandbox in the same headless
// Chromium the page's tests use, so they show what Trustloop really posts. Writes docs/screenshots/.

const out = path.resolve(import.meta.dirname, '../../docs/screenshots');

async function main(): Promise<void> {
  const executable = chromiumPath();
  if (!executable) throw new Error('no Chromium found: apt-get install chromium, or set CHROMIUM_PATH');
  mkdirSync(out, { recursive: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tl-screenshots-'));
  const sandbox = await startSandbox({ TRUSTLOOP_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' }, () => {});
  const browser = await launchChromium(executable);
  try {
    await sandbox.seeded();
    // Every card and thread reply posted (they are paced per channel, as Slack requires).
    for (let i = 0; i < 600 && (await countUnfinished(sandbox.app().database.db)) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 }, deviceScaleFactor: 1 });
    await page.goto(sandbox.pageUrl);
    await page.waitForSelector('body[data-ready="true"]');
    const shot = async (name: string) => {
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(out, name) });
      process.stdout.write(`docs/screenshots/${name}\n`);
    };
    const channel = async (id: string) => {
      await page.click(`#channels .channel-link[data-channel="${id}"]`);
      await page.waitForSelector('#messages .message');
    };
    const as = async (name: string) => {
      const value = await page.locator('#user-picker option', { hasText: name }).getAttribute('value');
      await page.selectOption('#user-picker', value!);
    };
    const card = (subject: string) => page.locator('#messages .message', { has: page.locator('.block.header', { hasText: subject }) });

    await as('Alex');
    await channel('C0SBSUPPRT');
    const tracking = card('Tracking number?');
    await tracking.scrollIntoViewIfNeeded();
    await tracking.getByRole('button', { name: 'Claim', exact: true }).click();
    await tracking.filter({ hasText: '@Alex' }).waitFor();
    await tracking.getByRole('button', { name: /repl/ }).click();
    await page.waitForSelector('#thread:not([hidden]) .message');
    await tracking.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('sandbox-card-and-thread.png');

    await page.click('#thread-close');
    await card('Lavaggio').getByRole('button', { name: 'Escalate', exact: true }).click();
    await page.waitForSelector('#modal:not([hidden])');
    await page.locator('#modal-body textarea').fill('Washing questions keep coming: our care page needs a 40 °C answer.');
    await shot('sandbox-escalate-modal.png');
    await page.click('#modal-close');

    await channel('C0SBREVIEW');
    await shot('sandbox-reviews.png');
    await channel('C0SBDISPUT');
    await shot('sandbox-disputes.png');

    await as('Morgan');
    await channel('C0SBSUPPRT');
    await page.fill('#composer', '/trustloop metrics');
    await page.press('#composer', 'Enter');
    const metrics = page.locator('#messages .message.ephemeral', { hasText: /cases/ }).last();
    await metrics.waitFor();
    await metrics.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('sandbox-metrics.png');

    await as('Olive');
    await page.fill('#composer', '/trustloop metrics');
    await page.press('#composer', 'Enter');
    const refusal = page.locator('#messages .message.ephemeral', { hasText: 'Only managers' });
    await refusal.waitFor();
    await refusal.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await shot('sandbox-outsider-refused.png');
  } finally {
    await browser.close();
    await sandbox.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`screenshots: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
