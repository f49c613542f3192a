import os from 'node:os';
import path from 'node:path';
import { EnvError, loadDotEnv, loadOperatorEnv } from '../config/env';
import { checkSettings, describeSettingsProblems } from '../config/settings';
import { ConfigError, formatProblem, loadWorkspaceConfig } from '../config/workspace';
import { configuredChannels, StartupError, verifyBotToken } from '../app';
import type { Env } from '../config/env';
import type { WorkspaceConfig } from '../config/workspace';
import { createLogger } from '../logger';
import { NameLookupRefused, resolveWorkspaceNames } from '../slack/names';
import { createLookupClient } from '../slack/web';
import { type Database, describeDatabaseError, migrate, openDatabase } from '../db/client';
import { escalationAccuracy, listCorrections, tagAccuracy } from '../db/queries/judgement';

// `npm run trustloop -- <command>`: operator commands.
//   init                       ask for the store's name, time zone, mode and address; write .env, trustloop.yml, manifest.yml
//   config check [file]        check the settings (environment, .env) and the workspace config file, listing every problem
//     --slack                  also ask Slack: the bot token, and what each name in the config resolves to
//   migrate                    apply database migrations and exit
//   outbox status              deliveries waiting (how many, the oldest's age, by kind) and those failed for good
//   outbox retry <id…|--failed> put failed deliveries back in the queue (after fixing the cause)
//   erase <email> [--by name]  erase one customer's personal data from every table that holds it (audited)
//   purge [--dry-run]          delete personal data older than the config's retention, and old housekeeping rows
//   judgement accuracy [days]  suggested vs final tags on reviewed cases, and overruled escalations (default 30 days)
//   judgement retrain          retrain the judgement model from the shipped corpus plus staff corrections
//   policy show [file]         the store's promises (the config's `policy` section) in plain words
//   backfill shopify --days N  import the last N days of Shopify orders (resumable; --restart starts over)

const USAGE = `usage: trustloop init [--dir d] [--force] [--non-interactive --store name --timezone tz --mode http|socket --url https://…]
       trustloop config check [file] [--slack]
       trustloop migrate
       trustloop outbox status
       trustloop outbox retry <id> [<id> …] | --failed
       trustloop erase <email> [--by name]
       trustloop purge [--dry-run]
       trustloop judgement accuracy [days]
       trustloop judgement retrain
       trustloop policy show [file]
       trustloop backfill shopify --days N [--restart]`;

async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const env = loadOperatorEnv();
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: path.join(env.TRUSTLOOP_DATA_DIR, 'pglite') });
  try {
    try {
      await migrate(database);
    } catch (err) {
      // One line naming where the database was looked for and what to check, not a stack trace.
      if (env.DATABASE_URL) throw new StartupError('DATABASE_URL', describeDatabaseError(err, env.DATABASE_URL));
      throw err;
    }
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** `config check --slack`: what each name in the config resolves to in Slack, or that it does not. */
async function checkNames(env: Env, config: WorkspaceConfig): Promise<number> {
  const logger = createLogger('silent');
  await verifyBotToken(env, logger);
  const lookups = await resolveWorkspaceNames(createLookupClient(env.SLACK_BOT_TOKEN, env.SLACK_API_URL, logger), config).catch((err) => {
    if (err instanceof NameLookupRefused && err.neededScope) {
      throw new Error(`the bot token lacks the ${err.neededScope} scope: reinstall the app from manifest.yml (OAuth & Permissions → Reinstall)`);
    }
    throw err;
  });
  if (lookups.length === 0) {
    console.log('Slack accepted the bot token; the config names everything by ID, so there is nothing to look up.');
    return 0;
  }
  console.log(`Slack accepted the bot token. Names looked up (${lookups.length}):`);
  for (const l of lookups) console.log(`  ${l.path}: ${l.name} → ${l.id ? `${l.id} (${l.is})` : 'not found'}`);
  const missing = lookups.filter((l) => !l.id).length;
  if (missing > 0) {
    console.error(`${missing} ${missing === 1 ? 'name was' : 'names were'} not found: check the spelling; a private channel needs /invite @Trustloop first`);
    return 1;
  }
  return 0;
}

/** The workspace config file, or null after listing its problems. */
function readConfig(file: string): WorkspaceConfig | null {
  try {
    return loadWorkspaceConfig(file);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`${err.file} is not valid:`);
    for (const p of err.problems) console.error(`  ${formatProblem(p)}`);
    return null;
  }
}

/** `erase <email>`: what was erased, table by table. */
async function erase(email: string, flags: string[]): Promise<number> {
  const by = flags[flags.indexOf('--by') + 1];
  const actor = `cli:${flags.includes('--by') && by ? by : os.userInfo().username}`;
  return withDatabase(async (database) => {
    const { eraseCustomer } = await import('../services/erasure');
    const outcome = await eraseCustomer({ db: database.db, clock: () => new Date(), logger: createLogger('warn') }, { email, actor });
    if (!outcome.ok) {
      console.error(`"${email}" is not an e-mail address: give the address the customer wrote from, such as ana@example.com`);
      return 2;
    }
    if (outcome.total === 0) {
      console.log('Nothing is held for that address (it was erased before, or never known): nothing changed.');
      return 0;
    }
    console.log(`Erased the customer's personal data, ${outcome.total} rows in all:`);
    for (const [table, n] of Object.entries(outcome.counts)) console.log(`  ${table.padEnd(20)}${String(n).padStart(6)}`);
    console.log(`Recorded in the audit log as customer_erased by ${actor}, without the address. Cards in Slack are re-rendered as Trustloop delivers.`);
    return 0;
  });
}

async function run(argv: string[]): Promise<number> {
  const [cmd, sub, arg] = argv;
  // Before .env is read: init is what writes it.
  if (cmd === 'init') return (await import('./init')).initCommand(argv.slice(1));
  loadDotEnv();
  if (cmd === 'config' && sub === 'check') {
    // The same check start-up makes: every setting in the environment (or .env) and the file.
    const flags = argv.slice(2);
    const settings = checkSettings(
      process.env,
      flags.find((f) => !f.startsWith('--')),
    );
    if (!settings.ok) {
      for (const line of describeSettingsProblems(settings)) console.error(line);
      return 1;
    }
    const { env, config, file } = settings;
    console.log(
      `Settings are complete: ${env.SLACK_APP_TOKEN ? 'Socket Mode' : 'HTTP mode'}, ` +
        `${env.DATABASE_URL ? 'PostgreSQL' : `the embedded database in ${env.TRUSTLOOP_DATA_DIR}`}.`,
    );
    console.log(
      `${file} is valid: ${config.tags.length} tags, ${configuredChannels(config).length} channels, ` +
        `${config.team.members.length + config.team.managers.length} people and ${config.team.usergroups.length} user groups on the team.`,
    );
    return flags.includes('--slack') ? checkNames(env, config) : 0;
  }
  if (cmd === 'policy' && sub === 'show') {
    const file = arg ?? loadOperatorEnv().TRUSTLOOP_CONFIG;
    try {
      const { describePolicy } = await import('../domain/policy');
      for (const line of describePolicy(loadWorkspaceConfig(file).policy)) console.log(line);
      return 0;
    } catch (err) {
      if (err instanceof ConfigError) {
        console.error(`${err.file} is not valid:`);
        for (const p of err.problems) console.error(`  ${formatProblem(p)}`);
        return 1;
      }
      throw err;
    }
  }
  if (cmd === 'backfill') return (await import('./backfill')).backfillCommand(argv.slice(1));
  if (cmd === 'migrate') {
    const kind = await withDatabase(async (database) => database.kind);
    console.log(`migrations applied (${kind})`);
    return 0;
  }
  if (cmd === 'outbox' && sub === 'status') {
    const { outboxStatus } = await import('./outbox');
    return withDatabase((database) => outboxStatus(database.db, (l) => console.log(l)));
  }
  if (cmd === 'outbox' && sub === 'retry') {
    const { outboxRetry } = await import('./outbox');
    return withDatabase((database) => outboxRetry(database.db, argv.slice(2), (l) => console.log(l), (l) => console.error(l)));
  }
  if (cmd === 'purge') {
    const file = loadOperatorEnv().TRUSTLOOP_CONFIG;
    const config = readConfig(file);
    if (!config) return 1;
    const { purgeCommand } = await import('./purge');
    const dryRun = argv.includes('--dry-run');
    return withDatabase((database) => purgeCommand(database.db, { retention: config.retention, file, now: new Date(), dryRun }, (l) => console.log(l)));
  }
  if (cmd === 'erase' && sub && !sub.startsWith('--')) return erase(sub, argv.slice(2));
  if (cmd === 'judgement' && sub === 'retrain') {
    const env = loadOperatorEnv();
    return withDatabase(async (database) => {
      const { retrainWithCorrections } = await import('./judgement');
      const corrections = await listCorrections(database.db, { limit: 20_000 });
      await retrainWithCorrections(corrections, env.TRUSTLOOP_DATA_DIR, (line) => console.log(line));
      return 0;
    });
  }
  if (cmd === 'judgement' && sub === 'accuracy') {
    const days = Number(arg ?? 30);
    const since = new Date(Date.now() - days * 86_400_000);
    return withDatabase(async (database) => {
      const tags = await tagAccuracy(database.db, { since });
      const esc = await escalationAccuracy(database.db, { since });
      console.log(`Cases whose tags staff reviewed in the last ${days} days: ${tags.reviewed}`);
      console.log('tag                   precision  recall   kept  removed  missed');
      for (const t of tags.tags) {
        const precision = t.kept + t.removed > 0 ? (t.kept / (t.kept + t.removed)).toFixed(2) : '  - ';
        const recall = t.kept + t.missed > 0 ? (t.kept / (t.kept + t.missed)).toFixed(2) : '  - ';
        console.log(
          `${t.tag.padEnd(22)}${precision.padStart(9)}${recall.padStart(8)}${String(t.kept).padStart(7)}${String(t.removed).padStart(9)}${String(t.missed).padStart(8)}`,
        );
      }
      console.log(
        `Automatic escalations: ${esc.automatic}, overruled by staff: ${esc.overruled}; escalated by staff but not by the rules: ${esc.staffOnly}`,
      );
      return 0;
    });
  }
  console.error(USAGE);
  return 2;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof EnvError) for (const p of err.problems) console.error(`trustloop: ${p.variable} ${p.detail}`);
    else if (err instanceof StartupError) console.error(`trustloop: ${err.message}`);
    else console.error(err);
    process.exit(1);
  },
);
