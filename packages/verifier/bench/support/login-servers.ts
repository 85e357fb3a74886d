// The servers http.bench.ts loads, each in its own process (`startServerProcess(this file, [kind])`):
//   handler      createEmbedLoginHandler behind toNodeHandler: the real verifier (ES256, node crypto,
//                the memory replay store with room for 1M ids), the identity policy over in-memory
//                users, a session cookie; rateLimit: false (the bench is one client) and one portal
//                origin (the load generator sends no Origin, so each request is judged by its token)
//   bare-verify  node:http reading the form body and doing only node:crypto's ES256 verification of
//                the token, answering 302 (or 400): the least any endpoint checking a signature does
//   bare-400     node:http answering 400 to everything: the least any endpoint refusing a request does
//   bare-read    node:http reading the whole body, then answering n8n's JSON 400: the least an endpoint
//                that reads the token from a POST body and answers n8n's way does
//   adapter-read toNodeHandler around a handler that only reads the body (its lite entry) and answers
//                n8n's JSON 400 with the endpoint's headers: what the adapter costs by itself
//   adapter-verify toNodeHandler around a handler that reads the form's token, runs the same verifier
//                as `handler` and answers 302: the transport and the verifier, without the endpoint's
//                own steps (origin, redirect, identity, session)
import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { withLiteHandler } from '@n8n-embed/node-http';
import { EmbedLoginError } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_KEYS, VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import {
  createEmbedLoginHandler,
  createIdentityResolver,
  createMemoryReplayStore,
  createVerifier,
  type IdentityStore,
} from '@n8n-embed/verifier';
import { toNodeHandler } from '@n8n-embed/verifier/node';
import { serveForBench } from '../../../../bench/http-load.js';

const PORTAL_ORIGIN = 'https://portal.example.com';
const BASE_URL = 'https://n8n.example.com/';
const SERVER_KINDS = [
  'handler',
  'bare-verify',
  'bare-400',
  'bare-read',
  'adapter-read',
  'adapter-verify',
] as const;
type ServerKind = (typeof SERVER_KINDS)[number];

interface User {
  readonly id: string;
  readonly email: string;
  readonly role: string;
}

/** A host's user table as a database with indexes would answer it: by identity and by email. */
function memoryIdentityStore(): IdentityStore<User> {
  const byIdentity = new Map<string, User>();
  const byEmail = new Map<string, User>();
  const identity = (issuer: string, sub: string): string => JSON.stringify([issuer, sub]);
  return {
    findByIdentity: async (issuer, sub) => byIdentity.get(identity(issuer, sub)) ?? null,
    findByEmail: async (email) => byEmail.get(email) ?? null,
    linkIdentity: async (user, { issuer, sub }) => {
      byIdentity.set(identity(issuer, sub), user);
    },
    createUser: async ({ issuer, sub, email, role }) => {
      const user = { id: randomUUID(), email, role };
      byEmail.set(email, user);
      byIdentity.set(identity(issuer, sub), user);
      return user;
    },
    roleOf: (user) => user.role,
  };
}

/** The verifier of `handler` and `adapter-verify`. */
function benchVerifier(): ReturnType<typeof createVerifier> {
  return createVerifier({
    trustedKeys: VECTOR_TRUSTED_KEYS,
    audience: VECTOR_AUDIENCE,
    crypto: 'node',
    // The default 100 000 entries hold ~90 s of logins at 1 100/s; the bench sends more.
    replayStore: createMemoryReplayStore({ maxEntries: 1_000_000 }),
  });
}

async function handlerServer(): Promise<ReturnType<typeof createServer>> {
  const verifier = await benchVerifier();
  const handler = createEmbedLoginHandler<User>({
    verifier,
    baseUrl: BASE_URL,
    portalOrigins: [PORTAL_ORIGIN],
    rateLimit: false,
    resolveUser: createIdentityResolver(memoryIdentityStore()),
    issueSession: (_user, { headers }) => {
      headers.append('Set-Cookie', `session=${randomUUID()}; Path=/; HttpOnly; Secure; SameSite=None`);
    },
  });
  return createServer(toNodeHandler(handler));
}

function bareVerifyServer(): ReturnType<typeof createServer> {
  const vector = VECTOR_KEYS.find((key) => key.alg === 'ES256');
  if (vector === undefined) throw new Error('no ES256 vector key');
  const key = createPublicKey(vector.publicPem);
  const answer = (res: ServerResponse, valid: boolean): void => {
    if (valid) res.writeHead(302, { Location: BASE_URL }).end();
    else res.writeHead(400).end();
  };
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const token = new URLSearchParams(Buffer.concat(chunks).toString('latin1')).get('token') ?? '';
      const dot = token.lastIndexOf('.');
      const input = Buffer.from(token.slice(0, dot), 'latin1');
      const signature = Buffer.from(token.slice(dot + 1), 'base64url');
      let valid = false;
      try {
        valid = verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature);
      } catch {}
      answer(res, valid);
    });
  });
}

function bare400Server(): ReturnType<typeof createServer> {
  return createServer((_req, res) => {
    res.writeHead(400).end();
  });
}

/** n8n's answer to a malformed token, from the project's one error table. */
const N8N_400 = JSON.stringify(new EmbedLoginError('malformed').toJSON());

function bareReadServer(): ReturnType<typeof createServer> {
  const headers = { 'cache-control': 'no-store', 'content-type': 'application/json' };
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    req.on('data', () => {});
    req.on('end', () => res.writeHead(400, headers).end(N8N_400));
  });
}

/** The Web entry of the adapter servers: never called, `toNodeHandler` takes their lite entry. */
const notServed = async (): Promise<Response> => new Response(null, { status: 501 });

function adapterReadServer(): ReturnType<typeof createServer> {
  const headers = {
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-type': 'application/json',
  };
  return createServer(
    toNodeHandler(
      withLiteHandler(notServed, async (request) => {
        await request.body(8192);
        return { status: 400, headers, body: N8N_400 };
      }),
    ),
  );
}

async function adapterVerifyServer(): Promise<ReturnType<typeof createServer>> {
  const verifier = await benchVerifier();
  const decoder = new TextDecoder();
  return createServer(
    toNodeHandler(
      withLiteHandler(notServed, async (request) => {
        const form = new URLSearchParams(decoder.decode(await request.body(8192)));
        await verifier.verify(form.get('token'));
        return { status: 302, headers: { location: BASE_URL } };
      }),
    ),
  );
}

const kind = process.argv[2] as ServerKind;
if (!SERVER_KINDS.includes(kind)) throw new Error(`unknown server kind ${kind}`);
const servers = {
  handler: handlerServer,
  'bare-verify': bareVerifyServer,
  'bare-400': bare400Server,
  'bare-read': bareReadServer,
  'adapter-read': adapterReadServer,
  'adapter-verify': adapterVerifyServer,
} satisfies Record<ServerKind, () => unknown>;
serveForBench(await servers[kind]());
