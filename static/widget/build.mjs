// Minifies src/ into dist/ (committed, so the backend and CI need no Node).
// Run: cd static/widget && npm ci && npm run build
import { buildSync } from 'esbuild';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';

const options = {
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
};

// The loader, the banner and the banner's texts in another language: the backend puts each
// site's config where __KELISIM_CONFIG__ stands. The properties of the object the three
// share (window.kelisim._, documented in src/kelisim.js), whose names start with "_", are
// shortened, each the same in every file: one mangleCache goes from build to build. (Not in
// src/managed/, whose "_" names are the vendors' own globals.)
// (No V8 compile hint on banner.js: most of its settings layer's functions never run on a
// first visit, and //# allFunctionsCalledOnLoad made no difference the bench could see.)
let mangleCache = {};
for (const name of ['kelisim', 'banner', 'texts']) {
  ({ mangleCache } = buildSync({
    ...options, mangleProps: /^_./, mangleCache, entryPoints: [`src/${name}.js`], outfile: `dist/${name}.js`,
  }));
}

// The managed services' first calls, one function per vendor (src/managed/<kind>.js says
// MANAGED.<kind> = ...): the backend puts those a site manages where __KELISIM_MANAGED__
// stands in its loader, as {<kind>: <function>, ...}.
mkdirSync('dist/managed', { recursive: true });
for (const file of readdirSync('src/managed').sort()) {
  const { outputFiles } = buildSync({
    ...options, entryPoints: [`src/managed/${file}`], write: false,
  });
  const code = outputFiles[0].text.trim().replace(/^MANAGED\.\w+=/, '').replace(/;$/, '');
  writeFileSync(`dist/managed/${file}`, code + '\n');
}
