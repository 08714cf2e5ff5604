// The jco side of the end-to-end tests (run_case.sh): one Node process per
// case.
//
//   node e2e.mjs WORKDIR [--same-wit CORE.wasm EXPECTED.wit]... [--transpile COMPONENT.wasm]...
//                        [--run COMPONENT.wasm]...
//
// --same-wit  `jco new` of CORE.wasm with the preview1 reactor adapter, then
//             `jco wit` of that component, must print EXPECTED.wit (what
//             `witc inspect` printed for witc's component of the same module).
// --transpile `jco transpile` accepts the component.
// --run       `jco transpile` of the component into WORKDIR, then its `run`
//             export (a function, or the `run` of `wasi:cli/run`) is called
//             under Node; a trap (a failed `assert` in the guest), an error
//             result or a missing export fails the case.
//
// JCO_DIR names the directory where @bytecodealliance/jco (with jco-transpile
// and preview2-shim) is installed (default /tmp/jco). Exit status: 0 all
// passed, 1 a check failed, 77 jco is missing (ctest SKIP_RETURN_CODE).
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const jcoDir = process.env.JCO_DIR ?? "/tmp/jco";
const mods = join(jcoDir, "node_modules", "@bytecodealliance");
if (!existsSync(join(mods, "jco-transpile")) || !existsSync(join(mods, "preview2-shim"))) {
  console.log(`jco is not installed in ${jcoDir} (set JCO_DIR): skipped`);
  process.exit(77);
}
const tools = await import(pathToFileURL(join(mods, "jco-transpile", "dist", "wasm-tools.js")).href);
const { transpileBytes } = await import(pathToFileURL(join(mods, "jco-transpile", "dist", "index.js")).href);
const adapter = readFileSync(join(mods, "jco", "lib", "wasi_snapshot_preview1.reactor.wasm"));

const [work, ...args] = process.argv.slice(2);
let failed = false;

async function sameWit(core, expectedFile) {
  const component = await tools.componentNew(readFileSync(core), [["wasi_snapshot_preview1", adapter]]);
  const wit = (await tools.componentWit(component)) + "\n";
  const expected = readFileSync(expectedFile, "utf8");
  if (wit === expected) return;
  failed = true;
  console.error(`FAIL: jco new of ${core} gives other WIT than witc component new:`);
  const a = expected.split("\n"), b = wit.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); ++i) {
    if (a[i] !== b[i]) console.error(`  line ${i + 1}:\n    witc: ${a[i] ?? "<end>"}\n    jco:  ${b[i] ?? "<end>"}`);
  }
}

async function transpiles(componentPath) {
  try {
    await transpileBytes(readFileSync(componentPath), { name: "component" });
  } catch (e) {
    failed = true;
    console.error(`FAIL: jco transpile refuses ${componentPath}: ${e?.message ?? e}`);
  }
}

let runs = 0;
async function run(componentPath) {
  const dir = resolve(work, `run${runs++}`);
  mkdirSync(dir, { recursive: true });
  // The transpiled module imports the WASI shims by package name.
  const link = join(work, "node_modules");
  if (!existsSync(link)) symlinkSync(join(jcoDir, "node_modules"), link);
  const { files } = await transpileBytes(readFileSync(componentPath), { name: "component" });
  for (const [name, bytes] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  const m = await import(pathToFileURL(join(dir, "component.js")).href);
  // A world's `run: func()`, or the `run` of an exported `wasi:cli/run`
  // (which throws when it returns an error).
  const run = typeof m.run === "function" ? m.run : m.run?.run;
  if (typeof run !== "function") {
    failed = true;
    console.error(`FAIL: ${componentPath} has no \`run\` export`);
    return;
  }
  try {
    run();
    console.log(`ok: run() of ${componentPath} returned`);
  } catch (e) {
    failed = true;
    console.error(`FAIL: run() of ${componentPath} trapped: ${e?.stack ?? e}`);
  }
}

for (let i = 0; i < args.length; ++i) {
  if (args[i] === "--same-wit") {
    await sameWit(args[i + 1], args[i + 2]);
    i += 2;
  } else if (args[i] === "--transpile") {
    await transpiles(args[++i]);
  } else if (args[i] === "--run") {
    await run(args[++i]);
  } else {
    console.error(`usage: node e2e.mjs WORKDIR [--same-wit CORE EXPECTED]... [--transpile C]... [--run C]...`);
    process.exit(2);
  }
}
process.exit(failed ? 1 : 0);
