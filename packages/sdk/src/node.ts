// node:http and Express: `app.get('/n8n-login', toNodeHandler(createPortalLoginRoute({ … })))`.
export {
  type NodeHandlerContext,
  type NodeHandlerOptions,
  toNodeHandler,
} from '@n8n-embed/node-http';
