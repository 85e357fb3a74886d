// workerd entry (run by miniflare): the configuration is a binding, so the app is created at the first
// request of an isolate; what the runtime lacks is then that request's config_invalid, reported as 500.
import { createConformanceApp } from './conformance-app.js';

let app;

export default {
  async fetch(request, env) {
    app ??= createConformanceApp(JSON.parse(env.CONFORMANCE_CONFIG));
    return (await app)(request, request.headers.get('cf-connecting-ip') ?? undefined);
  },
};
