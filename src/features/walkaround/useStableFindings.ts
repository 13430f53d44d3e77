/**
 * Keep the identity of findings whose content did not change. After every autosave the record
 * comes back from IndexedDB as fresh objects; without this, each save (every pause in typing)
 * would re-render every memoised finding card and its thumbnails. With 20+ findings that is
 * the difference between a smooth and a sluggish step on a mid-range tablet.
 */
import { useRef } from 'react';
import type { Finding } from '../../model/intake/schema';

export function shareFindings(prev: Map<string, { json: string; f: Finding }>, next: Finding[]): { list: Finding[]; cache: Map<string, { json: string; f: Finding }> } {
  const cache = new Map<string, { json: string; f: Finding }>();
  const list = next.map((f) => {
    const old = prev.get(f.id);
    if (old && old.f === f) {
      cache.set(f.id, old);
      return f;
    }
    const json = JSON.stringify(f);
    const keep = old && old.json === json ? old.f : f;
    cache.set(f.id, { json, f: keep });
    return keep;
  });
  return { list, cache };
}

export function useStableFindings(findings: Finding[]): Finding[] {
  const cache = useRef(new Map<string, { json: string; f: Finding }>());
  const last = useRef<{ input: Finding[]; output: Finding[] } | null>(null);
  if (last.current?.input === findings) return last.current.output;
  const { list, cache: next } = shareFindings(cache.current, findings);
  cache.current = next;
  last.current = { input: findings, output: list };
  return list;
}
