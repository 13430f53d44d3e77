/**
 * A V8 CPU profile (CDP Profiler.stop / node:inspector) in a few lines: self time by function and
 * file, the idle and GC share. For finding where a bench's time goes; prints, asserts nothing.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export function summarizeProfile(p: CpuProfile, top = 15): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + (deltas[i] ?? 0) / 1000);
  const total = (p.endTime - p.startTime) / 1000;
  const byFn = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const file = n.callFrame.url.split('/').pop() || '';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${file}${file ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + ms);
  }
  const rows = [...byFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [`      window ${total.toFixed(0)} ms`, ...rows.map(([k, ms]) => `      ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${k}`)].join('\n');
}
