import { createHmac, createPrivateKey, type JsonWebKey, type KeyObject, sign } from 'node:crypto';
import { type Algorithm, isAlgorithm, type StaticTrustedKey, signatureParams } from '@n8n-embed/protocol';
import { createLoginSigner, type LoginSigner, trustedKeyEntry } from '@n8n-embed/sdk';
import { CliError, type CliIo } from '../io.js';
import { readKeyFile } from '../key-file.js';

/** The options `doctor` and `conformance` share for the key they sign test tokens with. */
export interface KeyOptions {
  readonly key: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly issuer?: string;
  readonly audience?: string;
}

/** The portal key, ready to mint proper tokens (the SDK's signer) and hostile ones (`signRaw`). */
export interface TestKey {
  readonly signer: LoginSigner;
  readonly kid: string;
  readonly alg: Algorithm;
  readonly issuer: string;
  readonly audience: string;
  /** n8n's trusted-keys entry for this key (the SDK's `trustedKeyEntry`): the project's own verdicts use it. */
  readonly entry: StaticTrustedKey;
  /** Signs any header and payload text with the key, as given: for tokens no signer would make. */
  signRaw(header: string, payload: string): string;
  /** HS256 keyed with the public key's PEM text: the classic algorithm-confusion forgery. */
  signWithPublicPem(header: string, payload: string): string;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64url');

function algorithmOf(value: string): Algorithm {
  if (!isAlgorithm(value))
    throw new CliError(`--alg: "${value.slice(0, 20)}" is not an algorithm n8n allows`, 2);
  return value;
}

function need(value: string | undefined, flag: string): string {
  if (value === undefined) throw new CliError(`${flag}: required with --key`, 2);
  return value;
}

export async function loadTestKey(io: CliIo, options: KeyOptions): Promise<TestKey> {
  const issuer = need(options.issuer, '--issuer');
  const audience = need(options.audience, '--audience');
  // The CLI's one key-file reader: a private JWK (from `keys generate`), a JWKS (--kid picks), or PKCS#8 PEM.
  const file = await readKeyFile(io, {
    file: options.key,
    flag: '--key',
    want: 'private',
    kid: options.kid,
    alg: options.alg === undefined ? undefined : algorithmOf(options.alg),
  });
  io.stderr(`--key: ${options.key}: ${file.found}\n`);
  const { alg } = file;
  const signer = await createLoginSigner({
    privateKey: file.jwk,
    kid: file.kid,
    alg,
    issuer,
    audience,
    now: io.now,
  });
  if (signer.publicJwk === undefined) throw new CliError('--key: the public half cannot be exported');
  const entry = await trustedKeyEntry({ publicJwk: signer.publicJwk, issuer, audience });
  const keyObject: KeyObject = createPrivateKey({ key: file.jwk as JsonWebKey, format: 'jwk' });
  const params = signatureParams(alg);
  return {
    signer,
    kid: signer.kid,
    alg,
    issuer,
    audience,
    entry,
    signRaw(header, payload) {
      const input = `${b64(header)}.${b64(payload)}`;
      const signature = sign(params.nodeHash, Buffer.from(input), { key: keyObject, ...params.nodeOptions });
      return `${input}.${signature.toString('base64url')}`;
    },
    signWithPublicPem(header, payload) {
      const input = `${b64(header)}.${b64(payload)}`;
      return `${input}.${createHmac('sha256', entry.key).update(input).digest('base64url')}`;
    },
  };
}
