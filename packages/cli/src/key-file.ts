import { createPrivateKey, createPublicKey } from 'node:crypto';
import { basename } from 'node:path';
import { type Algorithm, inferAlgorithm, isAlgorithm, KID_PATTERN, pemKind } from '@n8n-embed/protocol';
import { CliError, type CliIo, readText } from './io.js';

export interface KeyFileOptions {
  readonly file: string;
  /** The flag that named the file, e.g. `--key`: every message starts with it. */
  readonly flag: string;
  readonly want: 'private' | 'public';
  /** `--kid`: picks the key of a JWKS, names a PEM key. */
  readonly kid?: string | undefined;
  /** `--alg`: for a key that does not say (PEM, a JWK without alg). */
  readonly alg?: Algorithm | undefined;
}

export interface KeyFile {
  /** The key as a JWK, with its kid and alg. */
  readonly jwk: Readonly<Record<string, unknown>> & { readonly kid: string; readonly alg: Algorithm };
  readonly kid: string;
  readonly alg: Algorithm;
  /** What was found, for one line on stderr: "SPKI PEM (EC P-256), kid k1 from the file name, alg ES256 inferred". */
  readonly found: string;
}

type Jwk = Record<string, unknown>;

const KEY_SUFFIX = /(\.(public|private))?\.(pem|jwk|json|key)$/;

function fromPem(text: string, options: KeyFileOptions): { jwk: Jwk; format: string } {
  const { flag, file } = options;
  const kind = pemKind(text);
  if (kind === 'other-private')
    throw new CliError(
      `${flag}: ${file} is a PKCS#1/SEC1 private key; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in ${file}`,
    );
  if (kind === 'other') throw new CliError(`${flag}: ${file} holds no SPKI public or PKCS#8 private key`);
  if (kind === 'spki' && options.want === 'private')
    throw new CliError(`${flag}: ${file} is a public key; give the private one (<kid>.private.jwk)`);
  if (kind === 'pkcs8' && options.want === 'public')
    throw new CliError(
      `${flag}: ${file} is a private key; give the public one (<kid>.public.pem or .public.jwk)`,
    );
  return { jwk: pemToJwk(text, kind, options), format: kind === 'spki' ? 'SPKI PEM' : 'PKCS#8 PEM' };
}

function pemToJwk(text: string, kind: 'spki' | 'pkcs8', options: KeyFileOptions): Jwk {
  try {
    const key = kind === 'spki' ? createPublicKey(text) : createPrivateKey(text);
    return key.export({ format: 'jwk' }) as Jwk;
  } catch {
    throw new CliError(
      `${options.flag}: ${options.file} is not a key this CLI can read (EC, RSA or Ed25519)`,
    );
  }
}

function fromJson(value: unknown, options: KeyFileOptions): { jwk: Jwk; format: string } {
  const { flag, file, kid } = options;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CliError(`${flag}: ${file} is neither a JWK nor a JWKS`);
  const keys = (value as { keys?: unknown }).keys;
  if (keys === undefined) return { jwk: value as Jwk, format: 'JWK' };
  if (!Array.isArray(keys)) throw new CliError(`${flag}: ${file}: "keys" must be an array`);
  const kids = keys.map((key) => String((key as Jwk)?.kid));
  const picked = kid === undefined ? keys : keys.filter((key) => (key as Jwk)?.kid === kid);
  if (picked.length !== 1) {
    const held = `${file} holds ${keys.length} key${keys.length === 1 ? '' : 's'} (kid ${kids.join(', ') || 'none'})`;
    throw new CliError(
      kid === undefined ? `${flag}: ${held}; pass --kid to choose` : `--kid: ${held}, none is ${kid}`,
      kid === undefined ? 1 : 2,
    );
  }
  return {
    jwk: picked[0] as Jwk,
    format: `JWKS (${keys.length === 1 ? 'one key' : `kid ${kid} of ${keys.length}`})`,
  };
}

/**
 * Reads a key file wherever the CLI takes one: SPKI or PKCS#8 PEM, a JWK, or a JWKS holding one key
 * (or `--kid` to choose), and says what it found. The key's own kid and alg win; a PEM key takes
 * its kid from `--kid` or from its file name as `keys generate` wrote it (`<kid>.public.pem`).
 */
export async function readKeyFile(io: CliIo, options: KeyFileOptions): Promise<KeyFile> {
  const { flag, file } = options;
  const text = await readText(io, file, flag);
  const trimmed = text.trim();
  let parsed: { jwk: Jwk; format: string };
  if (trimmed.startsWith('-----BEGIN')) parsed = fromPem(trimmed, options);
  else {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw new CliError(`${flag}: ${file} is neither PEM nor JSON (a JWK or JWKS)`);
    }
    parsed = fromJson(value, options);
  }
  const { jwk, format } = parsed;
  const isPrivate = 'd' in jwk;
  if (jwk.kty === 'oct')
    throw new CliError(`${flag}: ${file} is a symmetric key; n8n embed login needs a key pair`);
  if (options.want === 'public' && isPrivate)
    throw new CliError(
      `${flag}: ${file} is a private key; give the public one (<kid>.public.jwk or .public.pem)`,
    );
  if (options.want === 'private' && !isPrivate)
    throw new CliError(`${flag}: ${file} is a public key; give the private one (<kid>.private.jwk)`);

  let kidNote = '';
  let algNote = '';
  let kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  if (kid !== undefined && options.kid !== undefined && options.kid !== kid && !format.startsWith('JWKS'))
    throw new CliError(`--kid: the key in ${file} says kid "${kid}"; leave out --kid or give that one`, 2);
  if (kid === undefined && options.kid !== undefined) kid = options.kid;
  else if (kid === undefined) {
    const stem = basename(file).replace(KEY_SUFFIX, '');
    if (!format.endsWith('PEM') || stem === basename(file) || !KID_PATTERN.test(stem))
      throw new CliError(`--kid: the key in ${file} carries no kid; pass --kid`, 2);
    kid = stem;
    kidNote = ' (from the file name; --kid to choose)';
  }
  if (!KID_PATTERN.test(kid)) throw new CliError(`--kid: "${kid.slice(0, 40)}" is not a valid kid`, 2);

  let alg = isAlgorithm(jwk.alg) ? jwk.alg : undefined;
  if (alg !== undefined && options.alg !== undefined && options.alg !== alg)
    throw new CliError(`--alg: the key in ${file} says alg ${alg}; leave out --alg or give that one`, 2);
  if (alg === undefined && options.alg !== undefined) alg = options.alg;
  else if (alg === undefined) {
    alg = inferAlgorithm(jwk);
    if (alg === undefined)
      throw new CliError(`${flag}: ${file} is not a key n8n can use (EC, RSA or Ed25519)`);
    algNote = alg === 'RS256' ? ' (inferred; --alg PS256 for RSA-PSS)' : ' (inferred)';
  }
  // Whether the key fits the algorithm is the SDK's rule (protocol's keyMisfit), checked where it is used.

  const shape = typeof jwk.crv === 'string' ? `${String(jwk.kty)} ${jwk.crv}` : String(jwk.kty);
  return {
    jwk: { ...jwk, kid, alg },
    kid,
    alg,
    found: `${format} ${isPrivate ? 'private' : 'public'} key (${shape}), kid ${kid}${kidNote}, alg ${alg}${algNote}`,
  };
}
