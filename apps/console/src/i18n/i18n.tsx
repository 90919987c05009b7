import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';

export type Language = 'zh-CN' | 'en';

/**
 * One area's texts: Chinese first, English with exactly the same keys (the compiler checks).
 * `{name}` in a text is replaced by the matching value given to `t`.
 */
export interface Messages<Keys extends string> {
  'zh-CN': Record<Keys, string>;
  en: Record<Keys, string>;
}

export function defineMessages<Keys extends string>(messages: Messages<Keys>): Messages<Keys> {
  return messages;
}

const STORAGE_KEY = 'gx.language';

interface LanguageState {
  language: Language;
  setLanguage(language: Language): void;
}

const LanguageContext = createContext<LanguageState>({ language: 'zh-CN', setLanguage: () => undefined });

function storedLanguage(): Language {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'zh-CN';
}

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState<Language>(storedLanguage);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setState(next);
  }, []);
  const value = useMemo(() => ({ language, setLanguage }), [language, setLanguage]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export function useLanguage(): LanguageState {
  return useContext(LanguageContext);
}

export type Translate<Keys extends string> = (key: Keys, values?: Record<string, string | number>) => string;

export function interpolate(text: string, values?: Record<string, string | number>): string {
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** `const t = useT(messages)`: the text of a key in the member's language. */
export function useT<Keys extends string>(messages: Messages<Keys>): Translate<Keys> {
  const { language } = useLanguage();
  return useCallback((key: Keys, values?: Record<string, string | number>) => interpolate(messages[language][key] ?? messages['zh-CN'][key] ?? key, values), [messages, language]);
}
