// `@n8n-embed/protocol/vectors` as the repository's own tests see it (the `@n8n-embed/source`
// condition): the public vectors plus the private keys that signed them. These keys are public test
// keys, never to be trusted anywhere; the package does not ship them (`files` has no test/).
import { VECTOR_KEYS as PUBLIC_KEYS, type VectorKey as PublicVectorKey } from '../src/vectors.js';
import privateKeys from './vector-private-keys.json' with { type: 'json' };

export {
  VECTOR_AUDIENCE,
  VECTOR_ISSUER,
  VECTOR_NOW_MS,
  VECTOR_TRUSTED_KEYS,
  VECTORS,
  type Vector,
} from '../src/vectors.js';

export interface VectorKey extends PublicVectorKey {
  readonly privateJwk: Readonly<Record<string, string>>;
}

export const VECTOR_KEYS: readonly VectorKey[] = PUBLIC_KEYS.map((key) => {
  const privateJwk = (privateKeys as Record<string, Readonly<Record<string, string>>>)[key.kid];
  if (privateJwk === undefined) throw new Error(`no private key for vector key ${key.kid}`);
  return { ...key, privateJwk };
});
