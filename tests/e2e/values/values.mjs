// Drives the values.wit guest from JavaScript (run_values.sh):
//
//   node values.mjs COMPONENT.wasm WORKDIR [ROUNDS]
//
// Transpiles the component with jco (its `witc:values/host` import bound to
// host.mjs), then for every round calls each export of `guest` with that
// round's values and checks the results, and has the guest call the host
// (which checks what it receives). The guest's linear memory must not grow
// after the first 100 rounds: nothing leaks on either side of the boundary.
// Exit status 0 when every check passed, 1 otherwise, 77 without jco.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import * as host from "./host.mjs";

const jcoDir = process.env.JCO_DIR ?? "/tmp/jco";
const mods = join(jcoDir, "node_modules", "@bytecodealliance");
if (!existsSync(join(mods, "jco-transpile"))) {
  console.log(`jco is not installed in ${jcoDir} (set JCO_DIR): skipped`);
  process.exit(77);
}
const { transpileBytes } = await import(pathToFileURL(join(mods, "jco-transpile", "dist", "index.js")).href);

const [componentPath, work, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 10000);
const dir = resolve(work, "values-js");
mkdirSync(dir, { recursive: true });
const link = join(resolve(work), "node_modules");
if (!existsSync(link)) symlinkSync(join(jcoDir, "node_modules"), link);
const hostUrl = new URL("./host.mjs", import.meta.url).href;
const { files } = await transpileBytes(readFileSync(componentPath), {
  name: "values",
  map: { "witc:values/host": hostUrl },
});
for (const [name, bytes] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), bytes);
}
const { guest } = await import(pathToFileURL(join(dir, "values.js")).href);

let failures = 0;
function check(what, r, got, want) {
  if (host.same(got, want)) return;
  if (++failures <= 10) console.error(`FAIL ${what} in round ${r}: got ${host.show(got)}, want ${host.show(want)}`);
}

function summaryOf(t) {
  const enc = new TextEncoder();
  let names = 0, nicknames = 0, scores = 0, tags = 0;
  for (const p of t.members) {
    names += enc.encode(p.name).length;
    nicknames += p.nicknames.length;
    for (const s of p.scores) scores += s;
  }
  for (const g of t.tags) tags += g.length;
  return `${t.title}:${t.members.length}:${names}:${nicknames}:${scores}:${tags}`;
}

const dispose = Symbol.dispose ?? Symbol.for("dispose");
let pagesAfterWarmup = 0;
let hostCalls = 0;
const start = performance.now();
for (let r = 0; r < rounds; ++r) {
  // JavaScript -> C++: every value kind, echoed and computed.
  check("echo-team", r, guest.echoTeam(host.teamOf(r)), host.teamOf(r));
  check("echo-shapes", r, guest.echoShapes(host.shapesOf(r)), host.shapesOf(r));
  check("echo-many", r, guest.echoMany(host.manyOf(r)), host.manyOf(r));
  check("echo-maybe", r, guest.echoMaybe(host.maybeOf(r)), host.maybeOf(r));
  check("echo-scalars", r, guest.echoScalars(host.scalarsOf(r)), host.scalarsOf(r));
  const args = [r & 0xff, 300 + r, 70000 + r, BigInt(r) << 35n, -(r % 100), -(r % 30000), -r, -(BigInt(r) << 40n),
                Math.fround(r / 4), r / 7, `k\u00e9${r}`, new Uint8Array([r & 0xff, 9, 8]), r % 2 === 0,
                "\u{10FFFF}", host.colors[r % 3], r % 5 ? r : undefined, "\u{1F680}"];
  check("spill", r, guest.spill(...args), host.spillResult(...args));
  check("summary", r, guest.summary(host.teamOf(r)), summaryOf(host.teamOf(r)));
  check("fallible(false)", r, guest.fallible(false), "fine");
  try {
    guest.fallible(true);
    check("fallible(true)", r, "returned", "threw");
  } catch (e) {
    // jco throws the error payload (or a ComponentError carrying it).
    check("fallible(true)", r, e?.payload ?? e, 42);
  }
  // Resources of the guest: created, borrowed, merged (moving one), consumed.
  const a = new guest.Counter(BigInt(r));
  check("counter.add", r, a.add(5n), BigInt(r) + 5n);
  check("read-counter", r, guest.readCounter(a), BigInt(r) + 5n);
  const b = new guest.Counter(-1n);
  const merged = guest.Counter.merge(a, b);
  check("counter.merge", r, merged.value(), BigInt(r) + 4n);
  check("consume-counter", r, guest.consumeCounter(merged), BigInt(r) + 4n);
  b[dispose]();
  // C++ -> JavaScript: the guest calls every host function and checks.
  host.state.round = r;
  try {
    hostCalls += guest.callHost(r);
  } catch (e) {
    if (++failures <= 10) console.error(`FAIL call-host in round ${r}: ${e?.stack ?? e}`);
  }
  if (r === 99) pagesAfterWarmup = guest.memoryPages();
}
const seconds = (performance.now() - start) / 1000;
const pages = guest.memoryPages();
console.log(`${rounds} rounds in ${seconds.toFixed(2)} s; ${hostCalls} guest -> host calls ` +
            `(${host.state.calls} checked by the host); linear memory ${pagesAfterWarmup} pages after 100 rounds, ` +
            `${pages} at the end`);
if (rounds > 100 && pages !== pagesAfterWarmup) {
  ++failures;
  console.error(`FAIL: linear memory grew from ${pagesAfterWarmup} to ${pages} pages: something leaks`);
}
if (failures) console.error(`${failures} checks failed`);
process.exit(failures ? 1 : 0);
