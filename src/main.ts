import { EnvError, loadDotEnv } from './config/env';
import { checkSettings, describeSettingsProblems } from './config/settings';
import { ConfigError, formatProblem } from './config/workspace';
import { StartupError, startTrustloop } from './app';
import { sandboxRequested, startSandbox } from './sandbox';

// `npm start`: read the settings, open the database, start serving. Bad settings are listed all at
// once, one line each naming the setting and how to fix it, and the process exits non-zero.

async function main(): Promise<void> {
  loadDotEnv();
  // No Slack settings at all: a first look, against a local stand-in for Slack with sample data.
  const app = sandboxRequested(process.env) ? await startSandbox(process.env) : await startConfigured();
  let stopping = false;
  const shutdown = async (signal: string) => {
    // A second signal while stopping means "now": the operator has waited long enough.
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`trustloop: ${signal} received: no new requests; finishing the ones in flight and deliveries in progress…\n`);
    await app.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

async function startConfigured() {
  const settings = checkSettings(process.env);
  if (!settings.ok) {
    const lines = describeSettingsProblems(settings);
    process.stderr.write(`trustloop: ${lines.join('\n')}\n`);
    process.exit(1);
  }
  const { env, config } = settings;
  return startTrustloop({ env, config });
}

main().catch((err: unknown) => {
  if (err instanceof EnvError) {
    process.stderr.write(`trustloop: ${err.problems.map((p) => `${p.variable} ${p.detail}`).join('\n  ')}\n`);
  } else if (err instanceof StartupError) {
    process.stderr.write(`trustloop: ${err.message}\n`);
  } else if (err instanceof ConfigError) {
    process.stderr.write(`trustloop: ${err.file} is not valid:\n${err.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
  } else {
    process.stderr.write(`trustloop: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
