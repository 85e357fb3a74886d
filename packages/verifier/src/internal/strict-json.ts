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
  return hasDuplicateMember(text) ? undefined : (value as Record<string, unknown>);
}

interface Frame {
  readonly keys: Set<string> | undefined; // undefined for arrays
  expectKey: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Scans already-valid JSON text for an object that names a member twice. */
export function hasDuplicateMember(text: string): boolean {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === QUOTE) {
      let end = i + 1;
      let escaped = false;
      for (let c = text.charCodeAt(end); c !== QUOTE; c = text.charCodeAt(end)) {
        if (c === BACKSLASH) {
          escaped = true;
          end += 2;
        } else end += 1;
      }
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        // An escape is resolved ("a" equals "\u0061"); without one the text between the quotes is the name.
        const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        if (top.keys.has(key)) return true;
        top.keys.add(key);
        top.expectKey = false;
      }
      i = end;
    } else if (char === 0x7b /* { */) stack.push({ keys: new Set(), expectKey: true });
    else if (char === 0x5b /* [ */) stack.push({ keys: undefined, expectKey: false });
    else if (char === 0x7d /* } */ || char === 0x5d /* ] */) stack.pop();
    else if (char === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    }
  }
  return false;
}
