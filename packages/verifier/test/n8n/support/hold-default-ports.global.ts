// vitest globalSetup of `npm run test:n8n`: holds n8n's default ports (5678, and 5679 for its task
// broker) on 127.0.0.1 for the whole run, as a user's own n8n would. Every n8n the suites start must
// therefore take free ports; one that fell back to a default would die at start.
import { holdPorts, N8N_DEFAULT_PORTS } from './held-ports.js';

export default async function setup(): Promise<() => Promise<void>> {
  const held = await holdPorts(N8N_DEFAULT_PORTS);
  return () => held.release();
}
