// Deno entry: Deno.serve on 127.0.0.1 and a free port.
import { createConformanceApp } from './conformance-app.js';

const app = await createConformanceApp(JSON.parse(Deno.env.get('CONFORMANCE_CONFIG')));
Deno.serve(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen: ({ port }) => process.stdout.write(`listening http://127.0.0.1:${port}/\n`),
  },
  (request, info) => app(request, info.remoteAddr.hostname),
);
