// The runtime conformance app: the same module runs in Node, Bun, Deno and workerd, importing the
// packages as a user installs them (their built `dist`, copied into a project by support/install.ts).
// Plain JavaScript so every runtime loads it without a compiler. The test drives it over HTTP:
//   GET  /report                      the SDK scenarios run here (tokens, URLs, forms, creation errors)
//   GET  /portal/form, /portal/link   createPortalLoginRoute, both deliveries (session cookie required)
//   *    /static/rest/auth/embed      createEmbedLoginHandler, strict verifier, n8n's static keys
//   *    /jwks/rest/auth/embed        the same on a remote JWKS served by the test from 127.0.0.1
//   *    /n8n/rest/auth/embed         the same, static keys, profile n8n
//   GET  /bench?candidate=…&ms=…      one timed turn of a benchmark candidate (packages/sdk/bench)
import { buildLoginUrl, createLoginSigner, createPortalLoginRoute, renderLoginForm } from '@n8n-embed/sdk';
import {
  createEmbedLoginHandler,
  createIdentityResolver,
  createMemoryReplayStore,
  createVerifier,
} from '@n8n-embed/verifier';
import { createBench } from './bench-candidates.js';

const user = { sub: 'ada-1', email: 'ada@example.com', emailVerified: true, givenName: 'Ada' };
const ecdsa = (namedCurve) => ({ name: 'ECDSA', namedCurve });
const rsa = (name, hash) => ({ name, hash });
// WebCrypto's import parameters for each algorithm's private key.
const WEB_IMPORT = {
  ES256: ecdsa('P-256'),
  ES384: ecdsa('P-384'),
  ES512: ecdsa('P-521'),
  RS256: rsa('RSASSA-PKCS1-v1_5', 'SHA-256'),
  RS384: rsa('RSASSA-PKCS1-v1_5', 'SHA-384'),
  RS512: rsa('RSASSA-PKCS1-v1_5', 'SHA-512'),
  PS256: rsa('RSA-PSS', 'SHA-256'),
  PS384: rsa('RSA-PSS', 'SHA-384'),
  PS512: rsa('RSA-PSS', 'SHA-512'),
  EdDSA: { name: 'Ed25519' },
};

/** The runtime's name and version, as it reports them. */
export function runtimeIdentity() {
  if (globalThis.Bun) return { name: 'bun', version: globalThis.Bun.version };
  if (globalThis.Deno) return { name: 'deno', version: globalThis.Deno.version.deno };
  if (globalThis.navigator?.userAgent === 'Cloudflare-Workers') return { name: 'workerd', version: '' };
  return { name: 'node', version: globalThis.process.versions.node };
}

/** An error as plain data: what a caller could see of it. */
function described(error) {
  return { name: error?.name, reason: error?.reason, message: String(error?.message ?? error) };
}

async function attempt(run) {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: described(error) };
  }
}

function memoryUsers() {
  const users = new Map();
  return {
    findByIdentity: async (issuer, sub) =>
      [...users.values()].find((u) => u.issuer === issuer && u.sub === sub) ?? null,
    findByEmail: async (email) => users.get(email) ?? null,
    linkIdentity: async (found, identity) => void Object.assign(found, identity),
    createUser: async (profile) => {
      const created = { ...profile, id: `u${users.size + 1}` };
      users.set(profile.email, created);
      return created;
    },
    roleOf: (found) => found.role,
  };
}

function handlerFor(verifier, config) {
  return createEmbedLoginHandler({
    verifier,
    baseUrl: config.n8nUrl,
    portalOrigins: [config.portalOrigin],
    resolveUser: createIdentityResolver(memoryUsers()),
    issueSession: (found, { headers }) => headers.append('Set-Cookie', `n8n-auth=${found.id}; HttpOnly`),
    rateLimit: { perMinute: 10_000 },
  });
}

/** Everything the SDK does in this runtime, reported as data for the test to check on Node. */
async function sdkReport(config) {
  const signers = [];
  for (const key of config.keys) {
    for (const form of ['jwk', 'pem']) {
      for (const crypto of [undefined, 'webcrypto']) {
        const row = { alg: key.alg, form, crypto: crypto ?? 'default' };
        const created = await attempt(() =>
          createLoginSigner({
            privateKey: form === 'jwk' ? key.privateJwk : key.privatePem,
            ...(form === 'pem' ? { kid: key.kid } : {}),
            alg: key.alg,
            issuer: config.issuer,
            audience: config.audience,
            ...(crypto ? { crypto } : {}),
          }),
        );
        if (!created.ok) {
          signers.push({ ...row, created: false, error: created.error });
          continue;
        }
        const minted = await attempt(() => created.value.mint(user));
        signers.push({
          ...row,
          created: true,
          publicJwk: created.value.publicJwk,
          ...(minted.ok ? { token: minted.value } : { error: minted.error }),
        });
      }
    }
  }
  // A Worker's usual key: imported once with crypto.subtle, not extractable.
  const cryptoKeySigners = [];
  for (const key of config.keys) {
    const created = await attempt(async () => {
      const privateKey = await crypto.subtle.importKey('jwk', key.privateJwk, WEB_IMPORT[key.alg], false, [
        'sign',
      ]);
      return createLoginSigner({
        privateKey,
        kid: key.kid,
        alg: key.alg,
        issuer: config.issuer,
        audience: config.audience,
      });
    });
    const minted = created.ok ? await attempt(() => created.value.mint(user)) : created;
    cryptoKeySigners.push({
      alg: key.alg,
      created: created.ok,
      ...(minted.ok ? { token: minted.value } : { error: minted.error }),
    });
  }
  const es256 = config.keys.find((key) => key.alg === 'ES256');
  const signer = await createLoginSigner({
    privateKey: es256.privateJwk,
    issuer: config.issuer,
    audience: config.audience,
  });
  const redirectTo = '/home/workflows';
  const loginUrl = buildLoginUrl({ n8nUrl: config.n8nUrl, token: await signer.mint(user), redirectTo });
  const loginForm = renderLoginForm({
    n8nUrl: config.n8nUrl,
    token: await signer.mint(user),
    redirectTo,
    nonce: 'bm9uY2U',
  });
  const trustedKeys = config.trustedKeys;
  const creation = {
    signerNodeCrypto: await attempt(async () => {
      const nodeSigner = await createLoginSigner({
        privateKey: es256.privateJwk,
        issuer: config.issuer,
        audience: config.audience,
        crypto: 'node',
      });
      return nodeSigner.mint(user);
    }),
    verifierNodeCrypto: await attempt(() => createVerifier({ trustedKeys, crypto: 'node' }).then(() => 'ok')),
    signerBadRedirect: await attempt(() =>
      buildLoginUrl({ n8nUrl: config.n8nUrl, token: 'x', redirectTo: '/https://evil.example' }),
    ),
    handlerWithoutPortalOrigins: await attempt(async () =>
      createEmbedLoginHandler({
        verifier: await createVerifier({ trustedKeys }),
        baseUrl: config.n8nUrl,
        resolveUser: async () => ({}),
        issueSession: () => {},
      }),
    ),
    jwksOverHttp: await attempt(() =>
      createVerifier({
        trustedKeys: [
          { type: 'jwks', url: config.jwksUrl, issuer: config.issuer, expectedAudience: config.audience },
        ],
      }).then(() => 'ok'),
    ),
  };
  return { runtime: runtimeIdentity(), signers, cryptoKeySigners, loginUrl, loginForm, creation };
}

/**
 * Creates the app: verifiers and handlers are created here, so what a runtime lacks is a
 * `config_invalid` now (the entry prints it and exits), never at the first login.
 */
export async function createConformanceApp(config) {
  const staticVerifier = await createVerifier({
    trustedKeys: JSON.stringify(config.trustedKeys),
    replayStore: createMemoryReplayStore(),
  });
  const jwksVerifier = await createVerifier({
    trustedKeys: [
      { type: 'jwks', url: config.jwksUrl, issuer: config.issuer, expectedAudience: config.audience },
    ],
    jwks: { allowHttpLoopback: true },
  });
  const n8nVerifier = await createVerifier({ trustedKeys: config.trustedKeys, profile: 'n8n' });
  const handlers = {
    '/static/rest/auth/embed': handlerFor(staticVerifier, config),
    '/jwks/rest/auth/embed': handlerFor(jwksVerifier, config),
    '/n8n/rest/auth/embed': handlerFor(n8nVerifier, config),
  };
  const portalSigner = await createLoginSigner({
    privateKey: config.keys.find((key) => key.alg === 'ES256').privateJwk,
    issuer: config.issuer,
    audience: config.audience,
  });
  const session = `portal_session=${config.sessionId}`;
  const authenticate = (request) =>
    (request.headers.get('cookie') ?? '').split(/;\s*/).includes(session) ? user : null;
  const portal = {
    '/portal/form': createPortalLoginRoute({ signer: portalSigner, n8nUrl: config.n8nUrl, authenticate }),
    '/portal/link': createPortalLoginRoute({
      signer: portalSigner,
      n8nUrl: config.n8nUrl,
      authenticate,
      delivery: 'redirect',
    }),
  };
  const bench = createBench(config);

  return async (request, clientAddress) => {
    const { pathname, searchParams } = new URL(request.url);
    if (pathname in handlers) return handlers[pathname](request, clientAddress ? { clientAddress } : {});
    if (pathname in portal) return portal[pathname](request);
    if (pathname === '/report') return Response.json(await sdkReport(config));
    if (pathname === '/bench') {
      const result = await bench(searchParams.get('candidate'), Number(searchParams.get('ms')));
      return Response.json(result);
    }
    return new Response('not found', { status: 404 });
  };
}
