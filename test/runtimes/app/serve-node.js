// Node entry: node:http through the packages' own adapter, on 127.0.0.1 and a free port.
import { createServer } from 'node:http';
import { toNodeHandler } from '@n8n-embed/verifier/node';
import { createConformanceApp } from './conformance-app.js';

const app = await createConformanceApp(JSON.parse(process.env.CONFORMANCE_CONFIG));
const server = createServer(toNodeHandler((request, { clientAddress }) => app(request, clientAddress)));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}/\n`);
});
