// The browser helper's size as a portal ships it: `@n8n-embed/sdk/browser` bundled and minified by
// esbuild, then gzipped (level 9), against the 3 KB target; and what the bundle reached: nothing from
// jose, zod or nanoid. Run: npm run bench -- browser
import {
  BROWSER_BUNDLE_LIMIT_BYTES,
  bundleBrowserEntry,
  FORBIDDEN_IN_BROWSER,
  forbiddenInputs,
} from '../test/support/browser-bundle.js';

const bundle = await bundleBrowserEntry();
const forbidden = forbiddenInputs(bundle.inputs);
console.log(
  `modules: ${bundle.inputs.length} (${bundle.inputs.map((path) => path.split('/').pop()).join(', ')})`,
);
console.log(`minified: ${bundle.minBytes} B`);
console.log(
  `sdk/browser bundle: ${bundle.gzipBytes} B min+gzip (target ≤ ${BROWSER_BUNDLE_LIMIT_BYTES} B) ${bundle.gzipBytes <= BROWSER_BUNDLE_LIMIT_BYTES ? 'PASS' : 'MISS'}`,
);
console.log(
  `sdk/browser reaches none of ${FORBIDDEN_IN_BROWSER.join(', ')}: ${forbidden.length === 0 ? 'yes' : forbidden.join(', ')} ${forbidden.length === 0 ? 'PASS' : 'MISS'}`,
);
