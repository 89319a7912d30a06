// Gives the engine's glue the short names `wasm-opt
// --minify-imports-and-exports-and-modules` gave the module's imports,
// exports and import module (`make`'s wasm_bundle runs it on each module).
//
//   node scripts/minify_names.mjs <folder> <names.json>
//
// <folder> holds engine.js as wasm-bindgen wrote it (before terser) and
// engine_bg.wasm already renamed; <names.json> is what wasm-opt printed.
// Why: wasm-bindgen names each import after the JS it calls and a hash
// (`__wbg_get_635eea311fa1a291`, 41 of them), once in the module and again
// in the glue; hashes do not compress, and the names were about 1.4 KB of
// each file (0.9 KB of the gzipped module alone). Every name the glue uses
// must be found and renamed, or this fails: a module whose glue names an
// import it does not have would not instantiate.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [folder, namesFile] = process.argv.slice(2);
if (!folder || !namesFile) {
  console.error('usage: node scripts/minify_names.mjs <folder> <names.json>');
  process.exit(2);
}
const gluePath = join(folder, 'engine.js');
let glue = readFileSync(gluePath, 'utf8');
const names = JSON.parse(readFileSync(namesFile, 'utf8'));
const module = new WebAssembly.Module(readFileSync(join(folder, 'engine_bg.wasm')));

const fail = (message) => {
  console.error(`minify_names: ${message} (${gluePath}): the glue and the module disagree; was wasm-bindgen updated?`);
  process.exit(1);
};
const escape = (name) => name.replace(/[$]/g, '\\$');
/** Replaces every match of `pattern` in the glue; `expected` is how many there must be (or null: any). */
const rename = (pattern, replacement, expected, what) => {
  let count = 0;
  glue = glue.replace(pattern, () => {
    count += 1;
    return replacement;
  });
  if (expected !== null && count !== expected) fail(`${what}: found ${count} times, expected ${expected}`);
};

// The one module the imports come from.
const oldModules = new Set(names.imports.map(([from]) => from));
const newModules = new Set(WebAssembly.Module.imports(module).map((i) => i.module));
if (oldModules.size !== 1 || newModules.size !== 1) fail('the imports come from more than one module');
const [[oldModule], [newModule]] = [[...oldModules], [...newModules]];
rename(new RegExp(`"${escape(oldModule)}"(?=\\s*:)`, 'g'), JSON.stringify(newModule), 1, `import module ${oldModule}`);

// Each import: a key of the object of imports.
for (const [, oldName, newName] of names.imports) {
  rename(new RegExp(`(?<![\\w$])${escape(oldName)}(?=\\s*:)`, 'g'), JSON.stringify(newName), 1, `import ${oldName}`);
  if (new RegExp(`(?<![\\w$])${escape(oldName)}(?![\\w$])`).test(glue)) fail(`import ${oldName} named elsewhere`);
}

// Each export: read as `wasm.<name>`.
for (const [oldName, newName] of names.exports) {
  rename(new RegExp(`\\bwasm\\.${escape(oldName)}(?![\\w$])`, 'g'), `wasm[${JSON.stringify(newName)}]`, null, `export ${oldName}`);
}
const left = glue.match(/\bwasm\.[A-Za-z_$][\w$]*/);
if (left) fail(`${left[0]} is no export of the module`);

writeFileSync(gluePath, glue);
