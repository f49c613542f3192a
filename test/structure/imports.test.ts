import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph } from './import-graph';

// Dependencies point one way: cli/main → app → jobs, slack, ingest → services → db → config →
// domain; blocks/ renders from the domain and the leaf module of Slack ids and button contexts
// only. A module loaded at run time against these arrows (or a cycle) is a violation. Type-only
// imports are left out: they disappear at build time.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Layer = 'main' | 'app' | 'jobs' | 'slack' | 'ingest' | 'services' | 'db' | 'config' | 'domain' | 'blocks' | 'ids';

const IDS_LEAF = 'src/slack/ids.ts';

function layerOf(file: string): Layer {
  // The sandbox starts the whole app against a stand-in Slack, as main does against the real one.
  if (file === 'src/main.ts' || file.startsWith('src/cli/') || file.startsWith('src/sandbox/')) return 'main';
  if (file === 'src/app.ts') return 'app';
  if (file === IDS_LEAF) return 'ids';
  if (file.startsWith('blocks/')) return 'blocks';
  // Logs and metrics are reached from every layer, as the settings are.
  if (file === 'src/logger.ts' || file === 'src/metrics.ts' || file.startsWith('src/config/')) return 'config';
  const folder = /^src\/([^/]+)\//.exec(file)?.[1];
  if (folder === 'jobs' || folder === 'slack' || folder === 'ingest' || folder === 'services' || folder === 'db' || folder === 'domain') {
    return folder;
  }
  throw new Error(`${file} is in no layer: place it in a folder of the module map (docs/architecture.md)`);
}

// What each layer may load. jobs, slack and ingest are siblings: each is started by the app and
// reaches the others only through services and the outbox.
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  main: ['main', 'app', 'jobs', 'slack', 'ingest', 'services', 'db', 'config', 'domain', 'blocks', 'ids'],
  app: ['jobs', 'slack', 'ingest', 'services', 'db', 'config', 'domain', 'blocks', 'ids'],
  jobs: ['jobs', 'services', 'db', 'config', 'domain'],
  slack: ['slack', 'services', 'db', 'config', 'domain', 'blocks', 'ids'],
  ingest: ['ingest', 'services', 'config', 'domain'],
  services: ['services', 'db', 'config', 'domain'],
  db: ['db', 'config', 'domain'],
  config: ['config', 'domain'],
  domain: ['domain'],
  blocks: ['blocks', 'domain', 'ids'],
  ids: [],
};

// Layers may skip a step down, with these exceptions: routes, listeners and schedules reach
// data through services. A job may take its tick's advisory lock (src/db/locks.ts) and prune
// housekeeping rows (src/db/queries/retention.ts): neither has a business rule to go through.
function skipAllowed(from: string, to: string): boolean {
  if (!to.startsWith('src/db/')) return true;
  if (from.startsWith('src/slack/listeners/')) return false;
  if (from.startsWith('src/jobs/')) return to === 'src/db/locks.ts' || to === 'src/db/queries/retention.ts';
  return true;
}

// typeGraph, when given, also follows type-only imports: two files naming each other's types
// are one module split in two, and are listed as a type cycle.
function violations(graph: Map<string, Set<string>>, typeGraph?: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    const layer = layerOf(from);
    for (const to of targets) {
      if (!MAY_IMPORT[layer].includes(layerOf(to)) || !skipAllowed(from, to)) found.push(`${from} -> ${to}`);
    }
  }
  const runtime = cycles(graph);
  for (const cycle of runtime) found.push(`cycle: ${cycle.join(', ')}`);
  const runtimeKeys = new Set(runtime.map((cycle) => cycle.join()));
  for (const cycle of typeGraph ? cycles(typeGraph) : []) {
    if (!runtimeKeys.has(cycle.join())) found.push(`type cycle: ${cycle.join(', ')}`);
  }
  return found.sort();
}

// Presentation has one home. Even a type-only import counts here: a service or job that names a
// type from blocks/ is shaping Slack text, and blocks/ that names a service's or a query's type
// depends on them. blocks/ may name the row shapes of src/db/schema.ts: they are declared once there.
function presentationViolations(typeGraph: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  for (const [from, targets] of typeGraph) {
    const layer = layerOf(from);
    for (const to of targets) {
      const target = layerOf(to);
      if ((layer === 'services' || layer === 'jobs') && target === 'blocks') found.push(`${from} -> ${to}`);
      if (layer === 'blocks' && !['blocks', 'domain', 'ids'].includes(target) && to !== 'src/db/schema.ts') found.push(`${from} -> ${to}`);
    }
  }
  return found.sort();
}

describe('import rules', () => {
  const graph = importGraph(root, ['src', 'blocks']);
  const typeGraph = importGraph(root, ['src', 'blocks'], true);
  const found = violations(graph, typeGraph);

  it('reads the whole source tree', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/app.ts')?.has('src/slack/app.ts')).toBe(true);
  });

  it('has no import against the arrows and no cycle', () => {
    expect(found).toEqual([]);
  });

  it('keeps Slack text in blocks/: services and jobs name nothing from it, and it names no service or query', () => {
    expect(presentationViolations(typeGraph)).toEqual([]);
  });
});

describe('the rules themselves', () => {
  it('flag an up-import, a skipped service and a cycle, and leave type-only imports out', () => {
    const graph = new Map<string, Set<string>>([
      ['src/domain/a.ts', new Set(['src/ingest/http.ts'])],
      ['src/ingest/http.ts', new Set(['src/db/queries/cases.ts', 'src/services/tickets.ts'])],
      ['src/services/tickets.ts', new Set(['src/db/queries/cases.ts'])],
      ['src/db/queries/cases.ts', new Set(['src/domain/a.ts'])],
      ['blocks/x.ts', new Set(['blocks/y.ts', IDS_LEAF])],
      ['blocks/y.ts', new Set(['blocks/x.ts'])],
      [IDS_LEAF, new Set()],
    ]);
    expect(violations(graph)).toEqual([
      'cycle: blocks/x.ts, blocks/y.ts',
      'cycle: src/db/queries/cases.ts, src/domain/a.ts, src/ingest/http.ts, src/services/tickets.ts',
      'src/domain/a.ts -> src/ingest/http.ts',
      'src/ingest/http.ts -> src/db/queries/cases.ts',
    ]);
  });

  it('flag a type a service takes from blocks/, and one blocks/ takes from a service or a query, but not a row shape', () => {
    const types = new Map([
      ['src/services/a.ts', new Set(['blocks/x.ts', 'src/db/schema.ts'])],
      ['src/jobs/b.ts', new Set(['blocks/x.ts'])],
      ['blocks/x.ts', new Set(['src/db/schema.ts', 'src/db/queries/related.ts', 'src/services/a.ts', 'src/domain/a.ts', IDS_LEAF])],
      ['src/slack/c.ts', new Set(['blocks/x.ts'])],
    ]);
    expect(presentationViolations(types)).toEqual([
      'blocks/x.ts -> src/db/queries/related.ts',
      'blocks/x.ts -> src/services/a.ts',
      'src/jobs/b.ts -> blocks/x.ts',
      'src/services/a.ts -> blocks/x.ts',
    ]);
  });

  it("flag files that name each other's types as a type cycle", () => {
    const runtime = new Map([
      ['blocks/x.ts', new Set<string>()],
      ['blocks/y.ts', new Set(['blocks/x.ts'])],
    ]);
    const withTypes = new Map([
      ['blocks/x.ts', new Set(['blocks/y.ts'])],
      ['blocks/y.ts', new Set(['blocks/x.ts'])],
    ]);
    expect(violations(runtime)).toEqual([]);
    expect(violations(runtime, withTypes)).toEqual(['type cycle: blocks/x.ts, blocks/y.ts']);
  });

  it('read type-only imports as no edge', () => {
    const graph = importGraph(root, ['blocks']);
    // blocks/sla.ts names the case-card's message type only as a type.
    expect([...(graph.get('blocks/sla.ts') ?? [])].every((target) => target !== 'blocks/case-card.ts')).toBe(true);
  });
});
