// The JavaScript host of values.wit: implements `witc:values/host` (the
// transpiled guest imports it from this module) and defines the values of
// each round, exactly as guest.cpp builds them. Every host function checks
// that the guest sent the values of the current round and throws if not
// (which makes the guest's `call-host` fail); it answers with what it got.
export const state = { round: 0, calls: 0 };

export const colors = ["red", "green", "blue"];

export function teamOf(r) {
  const members = [];
  for (let k = 0; k <= r % 3; ++k) {
    const nicknames = [];
    for (let j = 0; j < k; ++j) nicknames.push(`n${k}${j}`);
    const p = { name: `p${r}-${k}-\u00fc\u20ac`, nicknames, scores: new Uint32Array([r, k, (r * k) % 1000]) };
    if (k % 2 === 0) p.home = { x: r, y: -k };
    members.push(p);
  }
  return { title: `team-${r}`, members, tags: [["a", `b${r}`], [], [`\u{1F600}${r % 7}`]] };
}

export function shapesOf(r) {
  return [
    { tag: "circle", val: r + 0.5 },
    { tag: "rect", val: [Math.fround(r / 2), 1.25] },
    { tag: "polygon", val: [{ x: r, y: 1 }, { x: 2, y: -r }] },
    { tag: "label", val: `shape${r}` },
    { tag: "empty" },
  ];
}

export function manyOf(r) {
  const m = {};
  for (const bit of [r % 32, (r * 7) % 32, 31, 0]) m[`x${bit}`] = true;
  return m;
}

export function maybeOf(r) {
  if (r % 3 === 0) return undefined;
  if (r % 3 === 1) return { tag: "ok", val: `ok${r}` };
  return { tag: "err", val: r };
}

export function scalarsOf(r) {
  return {
    a: r & 0xff,
    b: -(r & 0x7f),
    c: r & 0xffff,
    d: -(r % 30000),
    e: (r * 100003) >>> 0,
    f: -r,
    g: (BigInt(r) << 40n) + 1n,
    h: -(BigInt(r) << 33n),
    i: Math.fround(r + 0.25),
    j: r / 3,
    k: String.fromCodePoint(0x1f600 + (r % 16)),
    l: r % 2 === 1,
    m: colors[r % 3],
  };
}

// What `spill` computes, on both sides.
export function spillResult(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q) {
  const signed = BigInt.asUintN(64, BigInt(e + f + g) + h);
  const sum = BigInt.asUintN(
    64,
    BigInt(a + b + c) + d + signed + BigInt(m ? 1 : 0) + BigInt(n.codePointAt(0)) + BigInt(colors.indexOf(o)) +
      BigInt(p ?? 7),
  );
  return [sum, `${k}|${q}`, l, i + j];
}

// Structural equality of lifted values: typed arrays by content, bigints by
// value, absent and `undefined` fields alike, flags by their set members.
export function same(a, b) {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const x = a[key] === false ? undefined : a[key];
      const y = b[key] === false ? undefined : b[key];
      if (!same(x, y)) return false;
    }
    return true;
  }
  return false;
}

function expect(what, got, want) {
  ++state.calls;
  if (!same(got, want)) {
    throw new Error(`host ${what} in round ${state.round}: got ${show(got)}, want ${show(want)}`);
  }
  return got;
}

export function show(v) {
  return JSON.stringify(v, (_, x) => (typeof x === "bigint" ? `${x}n` : ArrayBuffer.isView(x) ? [...x] : x));
}

// --- witc:values/host ---

export function echoTeam(t) {
  return expect("echo-team", t, teamOf(state.round));
}
export function echoShapes(s) {
  return expect("echo-shapes", s, shapesOf(state.round));
}
export function echoMany(f) {
  return expect("echo-many", f, manyOf(state.round));
}
export function echoMaybe(m) {
  return expect("echo-maybe", m, maybeOf(state.round));
}
export function echoScalars(s) {
  return expect("echo-scalars", s, scalarsOf(state.round));
}
export function spill(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q) {
  const r = state.round;
  const want = [r & 0xff, 2, 3, 4n, -5, -6, -7, -8n, 0.5, 0.25, `k${r}`, new Uint8Array([r & 0xff, 1, 2, 3]), true,
                "\u263a", "blue", r % 2 ? r : undefined, "q"];
  expect("spill", [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q], want);
  return spillResult(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q);
}

export class Blob {
  // The guest calls the constructor with one argument; `concat` builds the
  // joined blob itself.
  constructor(bytes, joined = false) {
    if (!joined) expect("blob", bytes, new Uint8Array(state.round % 50).fill(7));
    this.bytes = bytes;
  }
  size() {
    return this.bytes.length;
  }
  static concat(a, b) {
    const joined = new Uint8Array(a.bytes.length + b.bytes.length);
    joined.set(a.bytes);
    joined.set(b.bytes, a.bytes.length);
    return new Blob(joined, true);
  }
}
