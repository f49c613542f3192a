import { EnvError, loadDotEnv, loadEnv } from '../config/env';
import { ConfigError, formatProblem, loadWorkspaceConfig } from '../config/workspace';
import { migrate, openDatabase } from '../db/client';
import path from 'node:path';

// `npm run trustloop -- <command>`: operator commands.
//   config check [file]   validate a workspace config file, printing each problem with its path
//   migrate               apply database migrations and exit

const USAGE = `usage: trustloop config check [file]
       trustloop migrate`;

async function run(argv: string[]): Promise<number> {
  const [cmd, sub, arg] = argv;
  if (cmd === 'config' && sub === 'check') {
    loadDotEnv();
    const file = arg ?? process.env.TRUSTLOOP_CONFIG ?? './trustloop.yml';
    try {
      const config = loadWorkspaceConfig(file);
      const channels = new Set([config.channels.default, config.channels.escalation, ...Object.values(config.channels.sources)]);
      console.log(
        `${file} is valid: ${config.tags.length} tags, ${channels.size} channels, ` +
          `${config.team.members.length + config.team.managers.length} people and ${config.team.usergroups.length} user groups on the team.`,
      );
      return 0;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      console.error(`${file} is not valid:`);
      for (const p of err.problems) console.error(`  ${formatProblem(p)}`);
      return 1;
    }
  }
  if (cmd === 'migrate') {
    loadDotEnv();
    const url = process.env.DATABASE_URL || undefined;
    const database = await openDatabase({ url, dataDir: path.join(process.env.TRUSTLOOP_DATA_DIR ?? './data', 'pglite') });
    await migrate(database);
    await database.close();
    console.log(`migrations applied (${database.kind})`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof EnvError ? `trustloop: ${err.message}` : err);
    process.exit(1);
  },
);
