const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses a JWS segment as a JSON object: strict UTF-8 (no replacement characters, no BOM), an object
 * at the top (not an array, string or null), and no member name twice at any depth. JSON.parse keeps
 * the last duplicate silently, so a token could show one `sub` to one reader and another to another.
 */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  // The text of a JSON object starts with `{` and ends with `}` (JSON whitespace aside): anything else
  // is refused before the decoder and the parser, whose exceptions made junk the dearest rejection.
  if (!bracedByteRange(bytes)) return undefined;
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(bytes);
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return hasDuplicateMember(text, value) ? undefined : (value as Record<string, unknown>);
}

const JSON_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

function bracedByteRange(bytes: Uint8Array): boolean {
  let first = 0;
  let last = bytes.length - 1;
  while (first <= last && JSON_SPACE.has(bytes[first] as number)) first += 1;
  while (last > first && JSON_SPACE.has(bytes[last] as number)) last -= 1;
  return last > first && bytes[first] === 0x7b && bytes[last] === 0x7d;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** The index of the quote closing the string opened at `open`: the next one no backslash escapes. */
function closingQuote(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  for (;;) {
    if (close === -1) return text.length; // not JSON: never reached after a parse, but never loops
    let before = close - 1;
    while (text.charCodeAt(before) === BACKSLASH) before -= 1;
    // An even number of backslashes (none included) leaves the quote unescaped.
    if ((close - 1 - before) % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
}

/**
 * Members in valid JSON text: outside strings a colon is only ever a member's name separator, one per
 * member, so the colons outside strings are counted (strings are skipped whole).
 */
function countMembers(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === QUOTE) i = closingQuote(text, i);
    else if (char === COLON) count += 1;
  }
  return count;
}

/** Own keys of every object in a parsed JSON value, added up (an explicit stack: no deep recursion). */
function countKeys(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [];
  for (let item = value; ; item = pending.pop()) {
    if (Array.isArray(item)) {
      for (const element of item) if (typeof element === 'object' && element !== null) pending.push(element);
    } else if (typeof item === 'object' && item !== null) {
      const keys = Object.keys(item);
      count += keys.length;
      for (const key of keys) {
        const member = (item as Record<string, unknown>)[key];
        if (typeof member === 'object' && member !== null) pending.push(member);
      }
    }
    if (pending.length === 0) return count;
  }
}

/**
 * True when valid JSON `text` names a member twice in one object. JSON.parse keeps one key per name
 * and object, so the text has more members than `value` (its parse) has keys exactly when a name
 * repeats: counting both is a few times cheaper than collecting the names (\u escapes need no care:
 * the parse has resolved them).
 */
export function hasDuplicateMember(text: string, value: unknown = JSON.parse(text)): boolean {
  return countMembers(text) !== countKeys(value);
}
