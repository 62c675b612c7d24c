/* A search index held in memory, in the format search/index.py writes (gzipped files,
 * the manifest plain), and a fetch that serves it: small registers for the engine's unit
 * tests, each word where a test needs it. (A real index, written by Python and read from
 * disk, is test_search_node.py's.) Not a test file: `node --test tests/js/` runs
 * *.test.mjs only. */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** index.py: INLINE_BYTES. */
const INLINE_BYTES = 48;
export const BASE = "https://register.example/sok/data/";

/** LEB128, as index.py `varints`. */
export function varints(numbers) {
  const out = [];
  for (let n of numbers) {
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    out.push(n);
  }
  return out;
}

/** index.py `encode_postings`: `pairs` [[doc, weight], ...] ascending; without weights
 * when `weighted` is false (facets). */
export function encodePostings(pairs, weighted = true) {
  const deltas = pairs.map(([doc], i) => (i ? doc - pairs[i - 1][0] : doc));
  return Uint8Array.from([
    ...varints([pairs.length]), ...varints(deltas),
    ...(weighted ? pairs.map(([, weight]) => weight) : [])]);
}

const base64 = (bytes) => Buffer.from(bytes).toString("base64");
const utf8 = (value) => new TextEncoder().encode(JSON.stringify(value));
const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The files of an index: `documents` newest first (fragments: `{ u, t, n, d, e, x }`);
 * `stems` maps a stem to `{ words: [written forms], postings: [[doc, weight], ...] }`;
 * `facets` is `[{ name, values: [[value, [docs]], ...] }]`; a dictionary chunk holds
 * `chunkWords` words. Returns `Map(name -> bytes)`.
 */
export function indexFiles({ documents, stems, facets = [], chunkWords = 1000, version = "v1",
                             format = 1, gzip = true }) {
  const files = new Map();
  const pack = (bytes) => (gzip ? new Uint8Array(gzipSync(bytes)) : bytes);
  const refs = new Map();
  let postingsFiles = 0;
  for (const stem of Object.keys(stems).sort(byCodePoint)) {
    const { postings } = stems[stem];
    const data = encodePostings(postings);
    if (data.length <= INLINE_BYTES) {
      refs.set(stem, [postings.length, base64(data)]);
    } else {
      files.set(`p/${postingsFiles}.bin`, pack(data));
      refs.set(stem, [postings.length, postingsFiles++]);
    }
  }
  const words = Object.entries(stems)
    .flatMap(([stem, { words: forms }]) => forms.map((word) => [word, stem]))
    .sort(([a], [b]) => byCodePoint(a, b));
  const chunks = [];
  for (let i = 0; i < words.length; i += chunkWords) {
    const w = {};
    const s = [];
    const at = new Map();
    for (const [word, stem] of words.slice(i, i + chunkWords)) {
      if (!at.has(stem)) {
        at.set(stem, s.length);
        s.push(refs.get(stem));
      }
      w[word] = at.get(stem);
    }
    files.set(`c/${chunks.length}.bin`, pack(utf8({ w, s })));
    chunks.push(words[i][0]);
  }
  documents.forEach((fragment, doc) => files.set(`d/${doc}.bin`, pack(utf8(fragment))));
  files.set("facets.bin", pack(utf8(facets.map(({ values }) => values.map(
    ([, docs]) => base64(encodePostings(docs.map((doc) => [doc]), false)))))));
  files.set("index.json", utf8({
    format, version, docs: documents.length, chunks,
    facets: facets.map(({ name, values }) => ({ name, values: values.map(([v]) => v) })),
  }));
  return files;
}

/**
 * A fetch serving `files` under BASE; `requests` lists each file asked for (with its
 * query string), `failing` names files that answer 503 once (then work).
 */
export function serve(files, { failing = [] } = {}) {
  const requests = [];
  const broken = new Set(failing);
  const fetch = async (url) => {
    const address = new URL(url);
    const name = address.pathname.slice(new URL(BASE).pathname.length);
    requests.push(name + address.search);
    if (broken.delete(name)) return new Response("busy", { status: 503 });
    const data = address.origin === new URL(BASE).origin ? files.get(name) : undefined;
    return data ? new Response(data) : new Response("not found", { status: 404 });
  };
  return { fetch, requests };
}

/** A fetch reading `file:` URLs from disk (Node's fetch does not), as a server would:
 * the query string is not part of the file's name, a missing file is a 404. */
export async function diskFetch(url) {
  try {
    return new Response(await readFile(fileURLToPath(new URL(url))));
  } catch (error) {
    if (error.code === "ENOENT") return new Response("not found", { status: 404 });
    throw error;
  }
}
