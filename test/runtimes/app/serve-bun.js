// Bun entry: Bun.serve on 127.0.0.1 and a free port.
import { createConformanceApp } from './conformance-app.js';

const app = await createConformanceApp(JSON.parse(process.env.CONFORMANCE_CONFIG));
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch: (request, bun) => app(request, bun.requestIP(request)?.address),
});
process.stdout.write(`listening http://127.0.0.1:${server.port}/\n`);
