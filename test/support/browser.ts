import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

// A real headless Chromium for the sandbox page's tests and the README's screenshots: Debian's
// `chromium` package (.ci/run installs it), driven by playwright-core with its executable path, so
// nothing is downloaded at test time.

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium on this machine (CHROMIUM_PATH wins), or null when there is none. */
export function chromiumPath(): string | null {
  const given = process.env.CHROMIUM_PATH?.trim();
  if (given) return existsSync(given) ? given : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
}
