/**
 * Messages in English and Korean. English (en.ts) is the source of truth for the keys; ko.ts must cover
 * every key (the type checker enforces it). A message may have plural forms, chosen by Intl.PluralRules
 * from the `n` variable.
 */
import type { MessageDto } from '../../../../main/api/common';
import { en, type Messages } from './en';
import { ko } from './ko';

export type Language = 'en' | 'ko';
export type MessageKey = keyof Messages;
export type Message = string | { one: string; other: string };

const catalogs: Record<Language, Record<MessageKey, Message>> = { en, ko };
export const languageNames: Record<Language, string> = { en: 'English', ko: '한국어' };

function browserLanguage(): Language {
  return navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** The first frame's language: this browser's copy of the catalog's choice (state/prefs.svelte.ts), or its own. */
function initialLanguage(): Language {
  const saved = localStorage.getItem('visage.language');
  if (saved === 'en' || saved === 'ko') return saved;
  return browserLanguage();
}

class I18n {
  language = $state<Language>(initialLanguage());

  /** Shows `language` (state/prefs.svelte.ts saves the choice in the catalog). */
  setLanguage(language: Language): void {
    this.language = language;
    localStorage.setItem('visage.language', language);
    document.documentElement.lang = language;
  }

  browserLanguage = browserLanguage;

  /** The message for `key` with {name} placeholders filled from `vars`. */
  t = (key: MessageKey, vars: Record<string, string | number> = {}): string => {
    const message = catalogs[this.language][key];
    let text: string;
    if (typeof message === 'string') text = message;
    else {
      const n = typeof vars.n === 'number' ? vars.n : 0;
      text = this.plural().select(n) === 'one' ? message.one : message.other;
    }
    return text.replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = vars[name] as string | number | undefined;
      return v === undefined ? `{${name}}` : typeof v === 'number' ? this.number(v) : v;
    });
  };

  /**
   * An engine message (key and parameters, [Note: worded messages]) in the user's language; `fallback`
   * (the engine's English) only for a key this UI does not know, e.g. an edit logged by an older version.
   */
  say = (m: MessageDto | null | undefined, fallback: string): string => {
    if (m && Object.hasOwn(catalogs.en, m.key)) return this.t(m.key as MessageKey, m.params);
    return fallback;
  };

  /**
   * Formatters per language and options, made once: building an Intl formatter costs a fraction of a
   * millisecond, and a view of 30 history entries or 200 photos made one per date (about 10 ms a refresh).
   */
  private readonly formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

  private readonly pluralRules = new Map<string, Intl.PluralRules>();

  private plural(): Intl.PluralRules {
    let p = this.pluralRules.get(this.language);
    if (!p) this.pluralRules.set(this.language, (p = new Intl.PluralRules(this.language)));
    return p;
  }

  private numberFormat(options?: Intl.NumberFormatOptions): Intl.NumberFormat {
    const key = `n|${this.language}|${JSON.stringify(options ?? {})}`;
    let f = this.formatters.get(key) as Intl.NumberFormat | undefined;
    if (!f) this.formatters.set(key, (f = new Intl.NumberFormat(this.language, options)));
    return f;
  }

  private dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    const key = `d|${this.language}|${JSON.stringify(options)}`;
    let f = this.formatters.get(key) as Intl.DateTimeFormat | undefined;
    if (!f) this.formatters.set(key, (f = new Intl.DateTimeFormat(this.language, options)));
    return f;
  }

  number(n: number): string {
    return this.numberFormat().format(n);
  }

  /** Names joined as this language joins them ("Ann and Bob"; Korean "Ann 및 Bob"). */
  list(items: readonly string[]): string {
    return new Intl.ListFormat(this.language, { type: 'conjunction' }).format(items);
  }

  /**
   * Every percent the app shows, one way: the UI language's own percent format (Intl), to one decimal at
   * most ("99%", "99.8%"); never a percent sign written into a message or a template.
   */
  percent(fraction: number): string {
    return this.numberFormat({ style: 'percent', maximumFractionDigits: 1 }).format(fraction);
  }

  /**
   * A chance that a name is right, cut (not rounded) to the 0.1 % shown: rounding put "not sure (95%)"
   * beside "quite sure (95.5%)" for a chance of 94.96 %, under the 95 % "sure" level. So it never reads as
   * a level it did not reach, nor as 100 % unless it is certain (99.96 % shows as 99.9 %).
   */
  chance(p: number): string {
    return this.percent(p < 1 ? Math.min(Math.floor(p * 1000 + 1e-9) / 1000, 0.999) : p);
  }

  date(ms: number, style: 'month' | 'day' | 'full' = 'day'): string {
    const options: Intl.DateTimeFormatOptions =
      style === 'month'
        ? { year: 'numeric', month: 'long' }
        : style === 'day'
          ? { year: 'numeric', month: 'short', day: 'numeric' }
          : { dateStyle: 'medium', timeStyle: 'short' };
    return this.dateFormat(options).format(ms);
  }

  /** "about 3 min", "12 s": a duration for ETAs. */
  duration(ms: number): string {
    const s = Math.max(1, Math.round(ms / 1000));
    const unit = (value: number, u: 'second' | 'minute' | 'hour') =>
      this.numberFormat({ style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
    if (s < 60) return unit(s, 'second');
    if (s < 3600) return unit(Math.round(s / 60), 'minute');
    return unit(Math.round((s / 3600) * 10) / 10, 'hour');
  }
}

export const i18n = new I18n();
export const t = i18n.t;
export const say = i18n.say;
