import type { Profile } from '@n8n-embed/protocol';
import { createEmbedLoginHandler, createVerifier } from '@n8n-embed/verifier';
import type { TestKey } from '../doctor/test-key.js';
import type { CaseRequest } from './cases.js';

/** What an endpoint answered, as far as a verdict needs it. */
export interface Outcome {
  readonly status: number;
  readonly message?: string;
  /** Let in: a 2xx/3xx answer or a session cookie. */
  readonly accepted: boolean;
  readonly location?: string;
}

export type Oracle = (request: CaseRequest) => Promise<Outcome>;

// The project's endpoint in-process stands for "what must happen": the portal origin it is told
// about when none is given is one no request of the catalogue uses.
const PLACEHOLDER_PORTAL = 'https://portal.n8n-embed.invalid';

/**
 * The expected answer of every case: the project's own endpoint (`createEmbedLoginHandler` on
 * `createVerifier`, the same code the adapter and `n8n-embed dev` run) trusting only this key, in the
 * chosen profile, asked the very same request. One rulebook: the catalogue holds no verdicts.
 * Profile `n8n` stands for n8n's licensed module: it checks no origin.
 */
export async function createOracle(options: {
  readonly key: TestKey;
  readonly profile: Profile;
  readonly baseUrl: URL;
  readonly portalOrigin: string | undefined;
  readonly now: () => number;
}): Promise<Oracle> {
  const verifier = await createVerifier({
    trustedKeys: [options.key.entry],
    profile: options.profile,
    now: options.now,
  });
  const handler = createEmbedLoginHandler<object>({
    verifier,
    n8nUrl: options.baseUrl.href,
    resolveUser: async () => ({}),
    issueSession: (_user, { headers }) =>
      headers.append('Set-Cookie', 'n8n-auth=oracle; Path=/; HttpOnly; Secure; SameSite=None'),
    portalOrigins: options.profile === 'strict' ? [options.portalOrigin ?? PLACEHOLDER_PORTAL] : 'any',
    rateLimit: false,
    warn: () => {},
    now: options.now,
  });
  return async (request) => {
    const response = await handler(
      new Request(new URL(request.path.replace(/^\//, ''), options.baseUrl), {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      }),
    );
    const text = await response.text();
    let message: string | undefined;
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') message = parsed.message;
    } catch {}
    const location = response.headers.get('location');
    return {
      status: response.status,
      ...(message !== undefined ? { message } : {}),
      accepted: response.status < 400,
      ...(location !== null ? { location } : {}),
    };
  };
}
