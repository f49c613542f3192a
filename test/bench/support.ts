import { childEnv } from '../support/child';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export const root = path.resolve(import.meta.dirname, '../..');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A fresh database on the benchmark server; PostgreSQL is what the targets are stated for. */
export async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `trustloop_bench_${process.pid}`;
  try {
    const admin = postgres(server, { max: 1, onnotice: () => {}, connect_timeout: 3 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
    await admin.end();
  } catch (err) {
    console.log(`  (no PostgreSQL at ${server}: ${(err as Error).message}; set BENCH_DATABASE_URL)`);
    return null;
  }
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const admin = postgres(server, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export function writeConfig(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-bench-'));
  const file = path.join(dir, 'trustloop.yml');
  writeFileSync(file, yaml);
  return file;
}

/** Builds dist/main.js as `npm start` does, so the benchmark measures what users run. */
export function buildApp(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}

/**
 * How `npm start` runs node, read from package.json so the benchmark runs what users run: the
 * environment it sets before `exec` (MALLOC_ARENA_MAX=2) and node's flags.
 */
export function startCommand(): { env: Record<string, string>; flags: string[] } {
  const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = start.split(/\s+/);
  const env = Object.fromEntries(
    words.slice(0, words.indexOf('exec')).flatMap((w) => (/^[A-Z_]+=/.test(w) ? [[w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]] : [])),
  );
  return { env, flags: words.filter((a) => a.startsWith('--')) };
}

/** Starts a script as its own process and waits for a URL to answer (.js runs with `npm start`'s flags, .ts through tsx). */
export async function startProcess(script: string, env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  // BENCH_PROFILE_DIR=dir writes a CPU profile of each Trustloop process there (node --cpu-prof) when it stops.
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const start = startCommand();
  const args = script.endsWith('.ts') ? ['--import', 'tsx', script] : [...start.flags, ...profile, script];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: childEnv({ ...(script.endsWith('.ts') ? {} : start.env), ...env }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited: ${stderr}`);
    try {
      const res = await fetch(readyUrl);
      if (res.ok || res.status === 404 || res.status === 405) return child;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${script} did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/**
 * CPU time a process has used so far, in ms (Linux /proc: user + system). On a shared machine the
 * wall-clock rates move with everyone else's load; the CPU spent per request does not, or far less.
 */
export async function cpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state; utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Resident memory of a process in MB (Linux /proc). */
export async function rssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * A light HTTP client for load generation (node:http with keep-alive): the generator shares the
 * machine with Trustloop and PostgreSQL, so it should spend as little CPU as it can.
 */
export function request(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: init.method,
        agent,
        headers: { ...init.headers, ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
