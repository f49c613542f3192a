import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { projectRoot } from '../db/client';
import { isTimeZone } from '../domain/business-hours';

// `npm run init` / `trustloop init`: asks the few things only a person knows (the store's name,
// its time zone, HTTP or Socket Mode, the public address) and writes .env with fresh secrets, a
// starter trustloop.yml and a manifest.yml with the address filled in. A file that exists is only
// replaced when the person says so (or --force in --non-interactive mode).

export interface InitAnswers {
  store: string;
  timezone: string;
  mode: 'http' | 'socket';
  /** The public https address (HTTP mode). */
  url?: string;
}

interface Io {
  ask(question: string): Promise<string>;
  say(line: string): void;
}

const secret = () => randomBytes(32).toString('hex');


function publicUrl(value: string): string | null {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** Asks until each answer is usable; an empty answer takes the default shown in brackets. */
async function askAll(io: Io): Promise<InitAnswers> {
  const ask = async (q: string, fallback: string, check: (v: string) => string | null): Promise<string> => {
    for (;;) {
      const raw = (await io.ask(`${q}${fallback ? ` [${fallback}]` : ''}: `)).trim() || fallback;
      const problem = check(raw);
      if (!problem) return raw;
      io.say(problem);
    }
  };
  const store = await ask("Your store's name", '', (v) => (v ? null : 'Please type the name customers know the store by.'));
  const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const timezone = await ask('Time zone of your support team', localZone, (v) =>
    isTimeZone(v) ? null : `"${v}" is not a time zone; use one such as Europe/Berlin or America/New_York.`,
  );
  const mode = await ask('Does Trustloop have a public HTTPS address (http), or should it connect out to Slack (socket)?', 'http', (v) =>
    v === 'http' || v === 'socket' ? null : 'Please answer http or socket.',
  );
  const url =
    mode === 'http'
      ? await ask('Its public address, such as https://trustloop.your-store.com', '', (v) =>
          publicUrl(v) ? null : 'Please type the address as https://host (Slack will send requests there).',
        )
      : undefined;
  return { store, timezone, mode: mode as InitAnswers['mode'], ...(url ? { url: publicUrl(url)! } : {}) };
}

export function envFile(a: InitAnswers, now: Date): string {
  const lines = [
    `# Written by trustloop init on ${now.toISOString().slice(0, 10)}. Keep this file private (it is readable by you only).`,
    '# After creating the Slack app from manifest.yml, replace the ... values with the ones Slack shows.',
    '# Bot User OAuth Token (OAuth & Permissions)',
    'SLACK_BOT_TOKEN=xoxb-...',
  ];
  if (a.mode === 'http') lines.push('# Signing Secret (Basic Information → App Credentials)', 'SLACK_SIGNING_SECRET=...');
  else lines.push('# App-level token with connections:write (Basic Information → App-Level Tokens)', 'SLACK_APP_TOKEN=xapp-...');
  lines.push(
    '# Generated: give it to the systems that send tickets (Authorization: Bearer …)',
    `INGEST_TOKEN=${secret()}`,
    '# Generated: signs the one-click rating links in replies',
    `CSAT_LINK_SECRET=${secret()}`,
    'TRUSTLOOP_CONFIG=./trustloop.yml',
  );
  if (a.url) lines.push(`PUBLIC_URL=${a.url}`);
  return `${lines.join('\n')}\n`;
}

export function workspaceFile(a: InitAnswers): string {
  return `# Trustloop's workspace config: check it with \`npm run config:check -- --slack\`.
# Channels, people and user groups by name or ID; the full list of settings is in
# src/config/workspace.example.yml.
store:
  name: ${JSON.stringify(a.store)}
  timezone: ${a.timezone}
channels:
  default: "#support"               # new cases; create the channel or name yours
  escalation: "#support-escalations" # escalations, SLA breaches, dispute deadlines
team:
  # Who may act on cases: a Slack user group, and/or people by e-mail or @handle.
  usergroups: ["@support"]
  managers: []
`;
}

export function manifestFile(template: string, a: InitAnswers): string {
  let text = template;
  if (a.url) text = text.replaceAll('https://trustloop.example.com', a.url);
  if (a.mode === 'socket') text = text.replace('socket_mode_enabled: false', 'socket_mode_enabled: true');
  return text;
}

export interface InitOptions {
  dir: string;
  answers?: InitAnswers;
  force?: boolean;
  now?: Date;
}

/** Writes the three files; returns what happened to each. */
export async function runInit(opts: InitOptions, io: Io & { interactive: boolean }): Promise<Record<string, 'written' | 'kept'>> {
  const answers = opts.answers ?? (await askAll(io));
  const template = readFileSync(path.join(projectRoot(), 'manifest.yml'), 'utf8');
  const files: [string, string, number?][] = [
    ['.env', envFile(answers, opts.now ?? new Date()), 0o600],
    ['trustloop.yml', workspaceFile(answers)],
    ['manifest.yml', manifestFile(template, answers)],
  ];
  const done: Record<string, 'written' | 'kept'> = {};
  for (const [name, text, mode] of files) {
    const file = path.join(opts.dir, name);
    if (existsSync(file) && !opts.force) {
      const replace = io.interactive && /^y(es)?$/i.test((await io.ask(`${name} exists. Replace it? [y/N]: `)).trim());
      if (!replace) {
        io.say(`kept ${name} as it is`);
        done[name] = 'kept';
        continue;
      }
    }
    writeFileSync(file, text, mode ? { mode } : {});
    // writeFileSync's mode applies to new files only: an existing .env is narrowed too.
    if (mode) chmodSync(file, mode);
    io.say(`wrote ${name}`);
    done[name] = 'written';
  }
  io.say(
    answers.mode === 'http'
      ? 'Next: create the Slack app from manifest.yml (api.slack.com/apps → Create New App → From a manifest), install it, and put its Bot User OAuth Token and Signing Secret in .env. Once Trustloop runs, re-verify the Event Subscriptions URL in the app settings.'
      : 'Next: create the Slack app from manifest.yml (api.slack.com/apps → Create New App → From a manifest), install it, create an app-level token with connections:write, and put it and the Bot User OAuth Token in .env.',
  );
  return done;
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** `trustloop init [--dir d] [--force] [--non-interactive --store … --timezone … --mode http|socket --url …]` */
export async function initCommand(argv: string[]): Promise<number> {
  const dir = path.resolve(flag(argv, 'dir') ?? '.');
  const force = argv.includes('--force');
  let answers: InitAnswers | undefined;
  if (argv.includes('--non-interactive')) {
    const store = flag(argv, 'store');
    const timezone = flag(argv, 'timezone') ?? 'UTC';
    const mode = flag(argv, 'mode') ?? 'http';
    const url = flag(argv, 'url');
    const problems = [
      !store && '--store is required',
      !isTimeZone(timezone) && `--timezone "${timezone}" is not a time zone such as Europe/Berlin`,
      mode !== 'http' && mode !== 'socket' && '--mode must be http or socket',
      mode === 'http' && !(url && publicUrl(url)) && '--url must be the public https address in HTTP mode',
    ].filter(Boolean);
    if (problems.length > 0) {
      for (const p of problems) console.error(`trustloop init: ${p}`);
      return 2;
    }
    answers = { store: store!, timezone, mode: mode as InitAnswers['mode'], ...(mode === 'http' ? { url: publicUrl(url!)! } : {}) };
  }
  const rl = answers ? null : createInterface({ input: process.stdin, output: process.stdout });
  try {
    await runInit(
      { dir, answers, force },
      { interactive: !!rl, ask: (q) => rl?.question(q) ?? Promise.resolve(''), say: (line) => console.log(line) },
    );
    return 0;
  } finally {
    rl?.close();
  }
}
