import { checkEnv, type Env, type EnvProblem } from './env';
import { ConfigError, formatProblem, loadWorkspaceConfig, type WorkspaceConfig } from './workspace';

// Start-up and `trustloop config check` read the same settings the same way: the environment and
// the workspace file, each checked whole, so every problem is listed in one run.

export type SettingsCheck =
  | { ok: true; env: Env; config: WorkspaceConfig; file: string }
  | { ok: false; envProblems: EnvProblem[]; configError?: ConfigError; file: string };

export function checkSettings(source: NodeJS.ProcessEnv = process.env, file?: string): SettingsCheck {
  const checked = checkEnv(source);
  // The file is read even when the environment is wrong, so its problems come in the same report.
  const configFile = file ?? checked.env?.TRUSTLOOP_CONFIG ?? (source.TRUSTLOOP_CONFIG?.trim() || './trustloop.yml');
  let config: WorkspaceConfig | undefined;
  let configError: ConfigError | undefined;
  try {
    config = loadWorkspaceConfig(configFile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    configError = err;
  }
  if (checked.env && config) return { ok: true, env: checked.env, config, file: configFile };
  return { ok: false, envProblems: checked.problems, configError, file: configFile };
}

/**
 * The report as lines: one problem in the environment is one line; otherwise a heading per
 * source and one indented line per problem, each naming the setting and its fix.
 */
export function describeSettingsProblems(check: Extract<SettingsCheck, { ok: false }>): string[] {
  const { envProblems, configError } = check;
  if (envProblems.length === 1 && !configError) return [`${envProblems[0]!.variable} ${envProblems[0]!.detail}`];
  const lines: string[] = [];
  if (envProblems.length > 0) {
    lines.push(`${envProblems.length} settings in the environment (or .env) need fixing:`);
    for (const p of envProblems) lines.push(`  ${p.variable} ${p.detail}`);
  }
  if (configError) {
    lines.push(`${configError.file} is not valid:`);
    for (const p of configError.problems) lines.push(`  ${formatProblem(p)}`);
  }
  return lines;
}
