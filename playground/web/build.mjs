// Bundles the playground into ../dist with esbuild: one ES module for the
// page, one per Monaco worker, and one stylesheet. File names carry no
// hashes and the output has no source maps, so the same lockfile gives the
// same bytes (scripts/check-generate.sh compares them).
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = '../dist';
rmSync(outdir, { recursive: true, force: true });

const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.ttf': 'dataurl', '.woff2': 'dataurl', '.svg': 'dataurl' },
  charset: 'utf8',
};

await esbuild.build({
  ...common,
  entryPoints: { playground: 'src/playground.jsx' },
  jsx: 'automatic',
  outdir,
});

await esbuild.build({
  ...common,
  entryPoints: {
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
  outdir,
});
