/**
 * Messages are written zh-CN first; the English table must have exactly the same keys, so a
 * missing translation is a compile error (the Excalidraw habit: keys typed from the fallback).
 */
export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];

export interface MessageTable<K extends string> {
  'zh-CN': Record<K, string>;
  en: Record<K, string>;
}

export function defineMessages<Z extends Record<string, string>>(zh: Z, en: { [K in keyof Z]: string }): MessageTable<Extract<keyof Z, string>> {
  return { 'zh-CN': zh, en } as MessageTable<Extract<keyof Z, string>>;
}
