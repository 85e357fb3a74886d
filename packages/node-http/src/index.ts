export {
  fromWebRequest,
  type LiteHandler,
  type LiteHandlerContext,
  type LiteRequest,
  type LiteResponse,
  liteAnswer,
  liteHandlerOf,
  placeholderUrl,
  toWebRequest,
  toWebResponse,
  withLiteHandler,
} from './lite-handler.js';
export {
  type NodeHandlerContext,
  type NodeNative,
  type NodeRequestLike,
  type NodeResponseLike,
  nodeNativeOf,
} from './node-objects.js';
export { type NodeHandlerOptions, toNodeHandler, type WebHandler } from './to-node-handler.js';
