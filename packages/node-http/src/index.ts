export {
  type NodeHandlerContext,
  type NodeHandlerOptions,
  type NodeNative,
  type NodeRequestLike,
  type NodeResponseLike,
  nodeNativeOf,
  toNodeHandler,
  type WebHandler,
} from './to-node-handler.js';
