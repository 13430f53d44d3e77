/**
 * Translation: `t('intake.plate')` with keys typed from the zh-CN tables; zh-CN is the default,
 * English the alternative. The choice is a device preference (store/preferences.ts, read
 * synchronously for the first render) and sets <html lang>.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Lang } from './defineMessages';
import { messages } from './messages';
import { readPreference, writePreference } from '../store/preferences';
import { formatNumber, pluralCategory } from './format';

/** `{n, plural, =0 {none} one {# damage} other {# damages}}`: the branch for n's CLDR category
 *  (an exact `=N` first), `#` as the number formatted for the language. */
const PLURAL = /\{(\w+), plural,((?:\s*=?\w+\s*\{[^{}]*\})+)\s*\}/g;
const BRANCH = /(=?\w+)\s*\{([^{}]*)\}/g;

function resolvePlurals(lang: Lang, text: string, vars: Record<string, string | number>): string {
  return text.replace(PLURAL, (whole, name: string, body: string) => {
    const n = Number(vars[name]);
    if (!Number.isFinite(n)) return whole;
    const branches = new Map(Array.from(body.matchAll(BRANCH), (m) => [m[1] as string, m[2] as string]));
    const chosen = branches.get(`=${n}`) ?? branches.get(pluralCategory(lang, n)) ?? branches.get('other') ?? '';
    return chosen.split('#').join(formatNumber(lang, n));
  });
}

type Messages = typeof messages;
type KeysOf<N extends keyof Messages> = Extract<keyof Messages[N]['zh-CN'], string>;
export type MessageKey = { [N in keyof Messages]: `${N & string}.${KeysOf<N>}` }[keyof Messages];
export type TFunction = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: string, vars?: Record<string, string | number>): string {
  const dot = key.indexOf('.');
  const ns = key.slice(0, dot) as keyof Messages;
  const k = key.slice(dot + 1);
  const table = messages[ns]?.[lang] as Record<string, string> | undefined;
  const fallback = messages[ns]?.['zh-CN'] as Record<string, string> | undefined;
  let text = table?.[k] ?? fallback?.[k] ?? key;
  if (vars && text.includes(', plural,')) text = resolvePlurals(lang, text, vars);
  if (vars) for (const [name, v] of Object.entries(vars)) text = text.split(`{${name}}`).join(String(v));
  return text;
}

/** Translate a zod issue message from the shared schemas (e.g. 'plate.invalid'). */
export function translateIssue(lang: Lang, message: string | undefined): string {
  if (!message) return translate(lang, 'validation.invalid');
  const known = (messages.validation['zh-CN'] as Record<string, string>)[message];
  return known ? translate(lang, `validation.${message}`) : translate(lang, 'validation.invalid');
}

function initialLang(): Lang {
  return readPreference('lang') ?? 'zh-CN';
}

interface I18nValue {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: TFunction;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children, lang: forced }: { children: ReactNode; lang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(forced ?? initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    writePreference('lang', l);
  }, []);
  const t = useCallback<TFunction>((key, vars) => translate(lang, key, vars), [lang]);
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
