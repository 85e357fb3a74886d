// node:http and Express: `app.all('/rest/auth/embed', toNodeHandler(createEmbedLoginHandler({ … })))`.
export {
  type NodeHandlerContext,
  type NodeHandlerOptions,
  toNodeHandler,
} from '@n8n-embed/protocol/node-http';
