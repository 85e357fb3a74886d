// node:http and Express: `app.all('/rest/auth/embed', toNodeHandler(createEmbedLoginHandler({ … })))`.
export {
  type NodeHandlerContext,
  type NodeHandlerOptions,
  type NodeNative,
  nodeNativeOf,
  toNodeHandler,
} from '@n8n-embed/node-http';
