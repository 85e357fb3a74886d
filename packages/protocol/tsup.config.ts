import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/vectors.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: false,
});
