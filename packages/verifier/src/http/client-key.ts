/** The rate limit's default IPv6 prefix: one /64 is what a single subscriber usually gets. */
export const DEFAULT_IPV6_PREFIX_LENGTH = 64;

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail included), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && IPV4.test(piece)) {
        const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
        if ([a, b, c, d].some((octet) => octet > 255)) return undefined;
        groups.push((a << 8) | b, (c << 8) | d);
      } else if (HEXTET.test(piece)) groups.push(Number.parseInt(piece, 16));
      else return undefined;
    }
    return groups;
  };
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/**
 * The rate limit's bucket for a client address: an IPv4 address as it is (also when written as an
 * IPv4-mapped IPv6 address), an IPv6 address cut to its first `prefixLength` bits (one subscriber holds
 * a whole /64, so a per-address key would give them 2^64 budgets). Undefined when there is no usable
 * address: the handler's policy for those is documented where it is applied.
 */
export function clientKey(address: string | undefined, prefixLength: number): string | undefined {
  if (address === undefined) return undefined;
  const bare = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  if (IPV4.test(bare)) return bare.split('.').every((octet) => Number(octet) <= 255) ? bare : undefined;
  const groups = ipv6Groups(bare);
  if (groups === undefined) return undefined;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff)
    return `${g6 >> 8}.${g6 & 255}.${g7 >> 8}.${g7 & 255}`;
  let bits = prefixLength;
  const kept = groups.map((group) => {
    const take = Math.max(0, Math.min(16, bits));
    bits -= 16;
    return take === 0 ? 0 : group & ((0xffff << (16 - take)) & 0xffff);
  });
  return `${kept.map((group) => group.toString(16)).join(':')}/${prefixLength}`;
}
