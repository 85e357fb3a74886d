export { type DevEvent, type DevServer, type DevServerOptions, startDevServer } from './dev/dev-server.js';
export { CliError, type CliIo, nodeIo } from './io.js';
export { run } from './run.js';
