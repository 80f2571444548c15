// Minifies src/ into dist/ (committed, so the backend and CI need no Node).
// Run: cd static/widget && npm ci && npm run build
// Paths are this file's neighbours, wherever it is run from (tests/widget/test_build.py runs
// a copy of it in a temporary folder).
import { buildSync } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { minify } from 'terser';

const here = (path) => new URL(path, import.meta.url).pathname;
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
// shortened, each the same in every file and in every build: mangle-cache.json, committed,
// holds each name's short name, and a build only adds the names that are new. So a banner
// built before a release still speaks to the loader built after it. (Not in src/managed/,
// whose "_" names are the vendors' own globals.)
// (No V8 compile hint on banner.js: most of its settings layer's functions never run on a
// first visit, and //# allFunctionsCalledOnLoad made no difference the bench could see.)
// Then terser minifies esbuild's output once more: the names it gives locals compress
// better (measured with the app's Zopfli: the loader every page view downloads 47 B smaller,
// banner.js 80 B). The tokens stay as they are: undeclared globals keep their names.
//
// The loader's optional parts (src/parts/<part>.js says PARTS.<part> = <expression>) are
// built the same way: the backend puts the expression where __KELISIM_<PART>__ stands in the
// loader of a site that has the part (the floating button), and a function that does
// nothing in the others' (backend/delivery/templates.py).
mkdirSync(here('dist/managed'), { recursive: true });
mkdirSync(here('dist/parts'), { recursive: true });
const cacheFile = here('mangle-cache.json');
let mangleCache = JSON.parse(readFileSync(cacheFile, 'utf8'));
const parts = readdirSync(here('src/parts')).sort().map((file) => `parts/${file.replace(/\.js$/, '')}`);
for (const name of ['kelisim', 'banner', 'texts', 'embed', ...parts]) {
  const built = buildSync({
    ...options, mangleProps: /^_./, mangleCache, entryPoints: [here(`src/${name}.js`)], write: false,
  });
  mangleCache = built.mangleCache;
  let { code } = await minify(built.outputFiles[0].text, {
    ecma: 2020, compress: { passes: 2 }, format: { comments: false },
  });
  if (name.startsWith('parts/')) code = code.replace(/^PARTS\.\w+=/, '').replace(/;$/, '');
  writeFileSync(here(`dist/${name}.js`), code + '\n');
}
// Sorted, so that a new name is one new line in the diff.
const sorted = Object.fromEntries(Object.entries(mangleCache).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(cacheFile, JSON.stringify(sorted, null, 2) + '\n');
// The same names beside the files the server reads: it writes the loader config's keys by
// them (backend/delivery/templates.py), so they always match the loader they go into.
writeFileSync(here('dist/names.json'), JSON.stringify(sorted, null, 2) + '\n');

// The managed services' first calls, one function per vendor (src/managed/<kind>.js says
// MANAGED.<kind> = ...): the backend puts those a site manages where __KELISIM_MANAGED__
// stands in its loader, as {<kind>: <function>, ...}.
for (const file of readdirSync(here('src/managed')).sort()) {
  const { outputFiles } = buildSync({
    ...options, entryPoints: [here(`src/managed/${file}`)], write: false,
  });
  const code = outputFiles[0].text.trim().replace(/^MANAGED\.\w+=/, '').replace(/;$/, '');
  writeFileSync(here(`dist/managed/${file}`), code + '\n');
}
