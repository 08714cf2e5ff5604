// `jco componentize` without the jco CLI's file-system sandbox: the
// componentize-js API (installed beside jco; JCO_DIR, default /tmp/jco).
//   node componentize.mjs SOURCE.js WIT WORLD OUT.wasm
import { writeFileSync } from "node:fs";

const dir = process.env.JCO_DIR ?? "/tmp/jco";
const { componentize } = await import(`${dir}/node_modules/@bytecodealliance/componentize-js/src/componentize.js`);
const [sourcePath, witPath, worldName, out] = process.argv.slice(2);
const { component } = await componentize({ sourcePath, witPath, worldName });
writeFileSync(out, component);
