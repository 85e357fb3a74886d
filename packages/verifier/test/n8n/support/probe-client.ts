import { resolve } from 'node:path';
import type { ReplayEntry, ReplayStore } from '../../../src/index.js';

/** The test-only hooks file with the /rest/n8n-embed-probe routes (load it next to the adapter's). */
export const PROBE_HOOKS_FILE = resolve(import.meta.dirname, 'probe-hooks.cjs');

const PREFIX = '/rest/n8n-embed-probe';

async function call<T>(url: string, method: 'GET' | 'POST'): Promise<T> {
  const response = await fetch(url, { method });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(`probe: ${body.error ?? response.status}`);
  return body;
}

export interface IdentityRows {
  readonly users: { id: string; disabled: boolean; firstName: string | null; password: string | null }[];
  readonly identities: { providerId: string; providerType: string }[];
}

/** Reaches inside a running n8n through the probe hooks file. */
export function probe(baseUrl: string) {
  const at = (path: string, query: Record<string, string | number>) =>
    `${baseUrl}${PREFIX}${path}?${new URLSearchParams(
      Object.entries(query).map(([name, value]) => [name, String(value)]),
    )}`;
  return {
    /** The adapter's database replay store, in n8n's process, over n8n's own connection. */
    replayStore(): ReplayStore & { sweep(now: number): Promise<number> } {
      return {
        consume: async (entry: ReplayEntry) =>
          (await call<{ fresh: boolean }>(at('/replay/consume', { ...entry }), 'POST')).fresh,
        sweep: async (now: number) =>
          (await call<{ gone: number }>(at('/replay/sweep', { now }), 'POST')).gone,
      };
    },
    identity: (email: string) => call<IdentityRows>(at('/identity', { email }), 'GET'),
    disable: (email: string) => call<{ affected: number }>(at('/disable', { email }), 'POST'),
    /** Renames the table away (`away`) or back: the next query on it fails in n8n's database. */
    table: (name: 'n8n_embed_replay' | 'auth_identity', away: boolean) =>
      call<object>(at('/table', { name, away: String(away) }), 'POST'),
  };
}
