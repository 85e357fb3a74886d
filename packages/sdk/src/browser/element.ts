import { type EmbedEvents, type EmbedState, mountN8n, type N8nEmbed } from './mount-n8n.js';

const EVENTS: readonly (keyof EmbedEvents)[] = [
  'loading',
  'ready',
  'navigate',
  'auth-required',
  'cookies-blocked',
  'error',
];

/** What `token-url` must answer: the token as the body of a 200 to a same-origin `POST`. */
async function fetchToken(url: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { method: 'POST', credentials: 'same-origin', signal });
  if (!response.ok) throw new Error(`token-url answered ${response.status}`);
  return (await response.text()).trim();
}

/** The custom element's interface: the helper's methods and state, its events as DOM events. */
export interface N8nEmbedElement extends HTMLElement {
  readonly state: EmbedState | 'idle';
  reload(): Promise<void>;
  navigate(path: string): void;
  reauthenticate(): Promise<void>;
  signOut(): Promise<void>;
}

/**
 * Defines `<n8n-embed n8n-url="…" token-url="…" path="…">` (or another tag name): on pages without a
 * framework. It mounts when connected, destroys when removed, and dispatches the helper's events as
 * `CustomEvent`s with the event's detail. Nothing is defined until this is called.
 */
export function defineN8nEmbedElement(tagName = 'n8n-embed'): void {
  if (customElements.get(tagName)) return;
  customElements.define(
    tagName,
    class extends HTMLElement implements N8nEmbedElement {
      #embed: N8nEmbed | undefined;
      get state(): EmbedState | 'idle' {
        return this.#embed?.state ?? 'idle';
      }
      connectedCallback(): void {
        const tokenUrl = this.getAttribute('token-url') ?? '';
        const embed = mountN8n({
          container: this,
          n8nUrl: this.getAttribute('n8n-url') ?? '',
          getToken: ({ signal }) => fetchToken(tokenUrl, signal),
          ...(this.hasAttribute('path') ? { path: this.getAttribute('path') ?? '/' } : {}),
          ...(this.hasAttribute('new-tab-url') ? { newTabUrl: this.getAttribute('new-tab-url') ?? '' } : {}),
          ...(this.hasAttribute('signals')
            ? { signals: this.getAttribute('signals') as 'bridge' | 'handshake' | 'load' }
            : {}),
        });
        for (const name of EVENTS)
          embed.on(name, (detail) => this.dispatchEvent(new CustomEvent(name, { detail })));
        this.#embed = embed;
      }
      disconnectedCallback(): void {
        this.#embed?.destroy();
        this.#embed = undefined;
      }
      reload = (): Promise<void> => this.#embed?.reload() ?? Promise.resolve();
      navigate = (path: string): void => this.#embed?.navigate(path);
      reauthenticate = (): Promise<void> => this.#embed?.reauthenticate() ?? Promise.resolve();
      signOut = (): Promise<void> => this.#embed?.signOut() ?? Promise.resolve();
    },
  );
}
