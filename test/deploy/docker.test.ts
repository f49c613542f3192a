import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { startCommand } from '../bench/support';

// The container files in docs/deploy. Where a Docker daemon answers, the image is built; where
// none does, the Dockerfile is linted (dockerfile-utils) and checked for what production needs:
// built ahead of time, not run as root, a health check on /readyz, signals reaching node.

const root = path.resolve(import.meta.dirname, '../..');
const dockerfileText = readFileSync(path.join(root, 'docs/deploy/Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(dockerfileText);
const docker = process.env.DOCKER ?? '/usr/local/bin/docker';
const daemon = spawnSync(docker, ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 });
const haveDaemon = daemon.status === 0;

/** The instructions of the last stage (the image that runs). */
function finalStage() {
  const all = dockerfile.getInstructions();
  const lastFrom = all.map((i) => i.getKeyword()).lastIndexOf('FROM');
  return all.slice(lastFrom);
}

describe('docs/deploy/Dockerfile', () => {
  test('lints clean (dockerfile-utils)', () => {
    if (!haveDaemon) console.warn(`no Docker daemon (${daemon.stderr?.trim() || daemon.error?.message}): linting the Dockerfile instead of building it`);
    expect(validate(dockerfileText).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  test('builds in one stage and runs in another, as a user other than root, with nothing installed at start', () => {
    expect(dockerfile.getFROMs().length).toBeGreaterThanOrEqual(2);
    const stage = finalStage();
    const user = stage.filter((i) => i.getKeyword() === 'USER').at(-1)?.getArgumentsContent();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    // The running image only copies what the build stage made.
    for (const run of stage.filter((i) => i.getKeyword() === 'RUN')) expect(run.getArgumentsContent()).not.toMatch(/npm (ci|install)|build/);
    expect(stage.some((i) => i.getKeyword() === 'COPY' && /--from=build .*dist/.test(i.getTextContent()))).toBe(true);
  });

  test('starts node itself in exec form, so SIGTERM reaches Trustloop; checks /readyz', () => {
    const cmd = finalStage().filter((i) => i.getKeyword() === 'CMD').at(-1)!;
    const args = JSON.parse(cmd.getArgumentsContent()!) as string[];
    expect(args[0]).toBe('node');
    expect(args.at(-1)).toBe('dist/main.js');
    const health = finalStage().find((i) => i.getKeyword() === 'HEALTHCHECK')!;
    expect(health.getArgumentsContent()).toMatch(/\/readyz/);
  });

  test('runs node as `npm start` does: the same flags and memory settings', () => {
    const start = startCommand();
    const cmd = JSON.parse(finalStage().filter((i) => i.getKeyword() === 'CMD').at(-1)!.getArgumentsContent()!) as string[];
    expect(cmd.slice(1, -1)).toEqual(start.flags);
    expect(start.flags).toContain('--max-old-space-size=256');
    const env = Object.fromEntries(
      finalStage()
        .filter((i) => i.getKeyword() === 'ENV')
        .flatMap((i) => i.getArgumentsContent()!.split(/\s+/))
        .map((pair) => pair.split('=') as [string, string]),
    );
    expect(start.env).toEqual({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '32768' });
    for (const [k, v] of Object.entries(start.env)) expect(env[k]).toBe(v);
  });

  test('keeps secrets and local data out of the build context', () => {
    const ignored = readFileSync(path.join(root, 'docs/deploy/Dockerfile.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'data', 'node_modules']));
  });

  test.skipIf(!haveDaemon)('builds (skipped: no Docker daemon answers here)', { timeout: 900_000 }, () => {
    execFileSync(docker, ['build', '-f', 'docs/deploy/Dockerfile', '-t', 'trustloop:test', '.'], { cwd: root, stdio: 'inherit' });
    const user = execFileSync(docker, ['image', 'inspect', '--format', '{{.Config.User}}', 'trustloop:test'], { encoding: 'utf8' }).trim();
    expect(user).toBe('node');
  });
});

describe('docs/deploy/docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(root, 'docs/deploy/docker-compose.yml'), 'utf8'));

  test('runs Trustloop built from the Dockerfile on PostgreSQL, started once PostgreSQL is healthy', () => {
    expect(compose.services.postgres.image).toMatch(/^postgres:/);
    expect(compose.services.trustloop.build).toEqual({ context: '../..', dockerfile: 'docs/deploy/Dockerfile' });
    expect(compose.services.trustloop.environment.DATABASE_URL).toMatch(/^postgres:\/\/trustloop:[^@]+@postgres:5432\/trustloop$/);
    expect(compose.services.trustloop.depends_on.postgres.condition).toBe('service_healthy');
  });

  test('npm scripts build and start it', () => {
    const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts;
    expect(scripts['docker:build']).toBe('docker build -f docs/deploy/Dockerfile -t trustloop .');
    expect(scripts['docker:up']).toBe('docker compose -f docs/deploy/docker-compose.yml up --build');
  });
});
