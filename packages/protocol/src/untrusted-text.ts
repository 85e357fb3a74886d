// Characters that must never reach a terminal, a log line or a message raw: controls (C0, DEL, C1:
// ANSI escapes, CR/LF that forge log lines), format characters (bidi overrides, zero-width ones that
// disguise a name), line and paragraph separators, and lone surrogates.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const HAS_HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Default bound on untrusted text quoted into a message, an event or a log line. */
export const MAX_DISPLAY_LENGTH = 64;

/** True when `value` holds a character `displayText` would escape. */
export function hasHiddenCharacters(value: string): boolean {
  return HAS_HIDDEN.test(value);
}

/**
 * Untrusted text (anything a token, a request or a file controls) made safe to print: every hidden
 * character becomes a visible `\u{…}` escape and the result is cut to `maxLength` code points
 * (ending in `…`). Printable text, including non-Latin scripts and emoji, is kept as it is.
 */
export function displayText(value: unknown, maxLength: number = MAX_DISPLAY_LENGTH): string {
  const text = typeof value === 'string' ? value : String(value);
  const points = Array.from(text);
  const cut = points.length > maxLength ? `${points.slice(0, maxLength).join('')}…` : text;
  return cut.replace(HIDDEN, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}
