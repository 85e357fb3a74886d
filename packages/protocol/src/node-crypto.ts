type NodeCrypto = typeof import('node:crypto');

/**
 * node:crypto through `process.getBuiltinModule`, so that no module of a main entry has a `node:`
 * import: the packages still bundle for browsers and edge runtimes, which get `undefined` here and take
 * the WebCrypto path.
 *
 * Only a node:crypto that takes the calls both fast paths make counts: `sign`/`verify` with
 * `{ key: KeyObject, dsaEncoding }`. Runtimes that imitate node:crypto do not all take them (workerd
 * with `nodejs_compat` refuses a KeyObject inside the options object, so every mint and every
 * verification would fail at the first login); they get `undefined` and the WebCrypto path, and an
 * explicit `crypto: 'node'` is a `config_invalid` at creation. Node, Bun and Deno pass (tested in each
 * runtime: test/runtimes/).
 */
export function loadNodeCrypto(): NodeCrypto | undefined {
  if (probed === undefined) probed = usableNodeCrypto() ?? null;
  return probed ?? undefined;
}

// Probed once per process: undefined until the first call, then the module or null.
let probed: NodeCrypto | null | undefined;

function usableNodeCrypto(): NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const crypto = proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
  if (crypto === undefined) return undefined;
  try {
    // One P-256 round trip (under a millisecond on Node), in the exact shape the backends use.
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const data = new Uint8Array([0x6e, 0x38, 0x6e]);
    const signature = crypto.sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const valid = crypto.verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
    return valid && signature.length === 64 ? crypto : undefined;
  } catch {
    return undefined;
  }
}
