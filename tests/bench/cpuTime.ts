/**
 * CPU time of a process tree, by kind, from /proc (Linux): for a bench to say where a run's CPU
 * went (Chromium's browser, renderer, GPU and utility processes; the bench's own process, which
 * runs the server). Clock ticks are read from `getconf CLK_TCK` once.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);

interface Proc {
  pid: number;
  ppid: number;
  ms: number;
  kind: string;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const ms = (Number(rest[11]) + Number(rest[12])) * TICK_MS;
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
    const type = cmd.find((a) => a.startsWith('--type='))?.slice(7);
    const sub = cmd.find((a) => a.startsWith('--utility-sub-type='))?.slice(19).split('.').pop();
    const kind = type ? (type === 'utility' && sub ? sub : type) : 'browser';
    return { pid, ppid, ms, kind };
  } catch {
    return null; // gone meanwhile
  }
}

/** CPU ms per kind of every process under `root` (root itself included). */
export function treeCpu(root: number): Record<string, number> {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readProc(Number(d))).filter((p): p is Proc => p !== null);
  const under = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (under.has(p.pid) || !under.has(p.ppid)) continue;
      under.add(p.pid);
      grew = true;
    }
  }
  const out: Record<string, number> = {};
  for (const p of all) if (under.has(p.pid)) out[p.kind] = (out[p.kind] ?? 0) + p.ms;
  return out;
}

/** CPU ms of this process (all its threads). */
export const selfCpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Measure `fn`: the CPU each kind of the tree under `root` and this process used meanwhile. */
export async function cpuDuring<T>(root: number | null, fn: () => Promise<T>): Promise<{ value: T; cpu: Record<string, number> }> {
  const before = root ? treeCpu(root) : {};
  const self0 = selfCpu();
  const value = await fn();
  const self = selfCpu() - self0;
  const after = root ? treeCpu(root) : {};
  const cpu: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) cpu[k] = v - (before[k] ?? 0);
  cpu.server = self;
  return { value, cpu };
}

export const formatCpu = (cpu: Record<string, number>, wallMs: number): string =>
  Object.entries(cpu)
    .filter(([, v]) => v >= 5)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
    .join(', ') + ` (sum ${(Object.values(cpu).reduce((s, v) => s + v, 0) / wallMs).toFixed(2)} cores over ${(wallMs / 1000).toFixed(2)} s)`;
