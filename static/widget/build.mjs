// Minifies src/*.js into dist/ (committed, so the backend and CI need no Node).
// Run: cd static/widget && npm ci && npm run build
import { buildSync } from 'esbuild';

for (const name of ['kelisim', 'banner']) {
  buildSync({
    entryPoints: [`src/${name}.js`],
    outfile: `dist/${name}.js`,
    minify: true,
    target: 'es2019',
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
}
