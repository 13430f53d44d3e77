/**
 * Device preferences: the few settings needed synchronously, before IndexedDB can answer (the
 * language of the very first render, the login form's pre-filled fields). Kept in localStorage,
 * declared here once with their types, like the IndexedDB device state in device.ts; no other
 * module names a storage key. Losing them costs convenience only (never a record), so storage
 * that is unavailable or holds something else reads as absent.
 */
import type { Lang } from '../i18n/defineMessages';

export interface LastLogin {
  dealership: string;
  username: string;
  deviceName: string;
}

export interface Preferences {
  /** The interface language chosen on this tablet. */
  lang: Lang;
  /** What the last successful login used, to pre-fill the form (never the password). */
  lastLogin: Partial<LastLogin>;
}

export type PreferenceKey = keyof Preferences;

const STORAGE_KEY: { readonly [K in PreferenceKey]: string } = {
  lang: 'walkaround.lang',
  lastLogin: 'walkaround.lastLogin',
};

function parse<K extends PreferenceKey>(key: K, raw: string): Preferences[K] | null {
  if (key === 'lang') return (raw === 'zh-CN' || raw === 'en' ? raw : null) as Preferences[K] | null;
  try {
    const v: unknown = JSON.parse(raw);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    const out: Partial<LastLogin> = {};
    for (const f of ['dealership', 'username', 'deviceName'] as const) {
      const s = (v as Record<string, unknown>)[f];
      if (typeof s === 'string') out[f] = s;
    }
    return out as Preferences[K];
  } catch {
    return null;
  }
}

/** The stored preference, or null when absent, unreadable or of another shape. */
export function readPreference<K extends PreferenceKey>(key: K): Preferences[K] | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY[key]);
    return raw === null ? null : parse(key, raw);
  } catch {
    return null; // storage unavailable (private mode, blocked)
  }
}

export function writePreference<K extends PreferenceKey>(key: K, value: Preferences[K]): void {
  try {
    localStorage.setItem(STORAGE_KEY[key], typeof value === 'string' ? value : JSON.stringify(value));
  } catch {
    /* storage unavailable: only convenience is lost */
  }
}
