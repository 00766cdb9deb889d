// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function, by module, and inclusive time of
// the project's own functions.
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  selfByFunction: { name: string; ms: number; pct: number }[];
  selfByModule: { name: string; ms: number; pct: number }[];
  inclusiveOwn: { name: string; ms: number; pct: number }[];
}

/** "node_modules/pg", "src/audit/writer.ts", "(node:internal)", "(gc)", "(program)"… */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return `node_modules/${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const src = path.search(/\/(src|prisma)\//);
  if (src >= 0) return path.slice(src + 1);
  if (path.startsWith('node:')) return '(node:internal)';
  return path;
}

function label(f: CallFrame): string {
  return `${f.functionName || '(anonymous)'} ${moduleOf(f.url, f.functionName)}:${f.lineNumber + 1}`;
}

/**
 * `lastMs`: only the samples of the profile's last milliseconds (the measured load: the process is stopped right
 * after it), which leaves out start-up and warm-up; 0 → every sample.
 */
export function summariseProfile(file: string, top = 20, lastMs = 0): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const from = lastMs > 0 ? profile.endTime - lastMs * 1000 : -Infinity;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < from) continue;
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  let total = 0;
  let idle = 0;
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    total += us;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    fn.set(label(node.callFrame), (fn.get(label(node.callFrame)) ?? 0) + us);
    const m = moduleOf(node.callFrame.url, node.callFrame.functionName);
    mod.set(m, (mod.get(m) ?? 0) + us);
  }
  // Inclusive time of the project's own functions (src/, prisma/), each counted once per stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      const m = moduleOf(f.url, f.functionName);
      if (!/^(src|prisma)\//.test(m) || m.startsWith('src/generated/')) continue;
      const key = label(f);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const busy = total - idle;
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / busy }));
  return { totalMs: total / 1000, idleMs: idle / 1000, selfByFunction: rank(fn), selfByModule: rank(mod), inclusiveOwn: rank(inclusive) };
}

export function formatProfile(title: string, s: ProfileSummary): string {
  const lines = [`${title}: ${s.totalMs.toFixed(0)} ms sampled, ${(s.totalMs - s.idleMs).toFixed(0)} ms busy (main thread)`];
  const section = (name: string, rows: ProfileSummary['selfByFunction']) => {
    lines.push(`  ${name}`);
    for (const r of rows) lines.push(`    ${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}`);
  };
  section('self time by module (% of busy):', s.selfByModule);
  section('self time by function:', s.selfByFunction);
  section("inclusive time of shiftnote's own functions:", s.inclusiveOwn);
  return lines.join('\n');
}
