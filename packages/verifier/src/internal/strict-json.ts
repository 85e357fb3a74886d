const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses a JWS segment as a JSON object: strict UTF-8 (no replacement characters, no BOM), an object
 * at the top (not an array, string or null), and no member name twice at any depth. JSON.parse keeps
 * the last duplicate silently, so a token could show one `sub` to one reader and another to another.
 */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | undefined {
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

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** True when the quote at `index` is escaped: an odd number of backslashes stands before it. */
function isEscaped(text: string, index: number): boolean {
  let before = index - 1;
  while (text.charCodeAt(before) === BACKSLASH) before -= 1;
  return (index - 1 - before) % 2 === 1;
}

/** Member names in valid JSON text: the strings followed, after whitespace, by a colon. */
function countMemberNames(text: string): number {
  let count = 0;
  for (let open = text.indexOf('"'); open !== -1; ) {
    let close = text.indexOf('"', open + 1);
    while (isEscaped(text, close)) close = text.indexOf('"', close + 1);
    let next = close + 1;
    let char = text.charCodeAt(next);
    while (char === 0x20 || char === 0x09 || char === 0x0a || char === 0x0d) char = text.charCodeAt(++next);
    if (char === COLON) count += 1;
    open = text.indexOf('"', close + 1);
  }
  return count;
}

/** Own keys of every object in a parsed JSON value, added up (an explicit stack: no deep recursion). */
function countKeys(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) {
      for (const element of item) if (typeof element === 'object' && element !== null) pending.push(element);
      continue;
    }
    const keys = Object.keys(item);
    count += keys.length;
    for (const key of keys) {
      const member = (item as Record<string, unknown>)[key];
      if (typeof member === 'object' && member !== null) pending.push(member);
    }
  }
  return count;
}

/**
 * True when valid JSON `text` names a member twice in one object. JSON.parse keeps one key per name
 * and object, so the text has more member names than `value` (its parse) has keys exactly when a name
 * repeats: counting both is a few times cheaper than collecting the names (\u escapes need no care:
 * the parse has resolved them).
 */
export function hasDuplicateMember(text: string, value: unknown = JSON.parse(text)): boolean {
  return countMemberNames(text) !== countKeys(value);
}
