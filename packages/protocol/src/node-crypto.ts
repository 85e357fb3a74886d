type NodeCrypto = typeof import('node:crypto');

/**
 * node:crypto through `process.getBuiltinModule`, so that no module of a main entry has a `node:`
 * import: the packages still bundle for browsers and edge runtimes, which get `undefined` here and take
 * the WebCrypto path.
 */
export function loadNodeCrypto(): NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
}
