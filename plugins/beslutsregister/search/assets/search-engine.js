/* The register's search engine: reads the static index written by
 * beslutsregister/search/index.py (published as assets/beslutsregister/search-engine.js).
 * A pure module (no page, no `location`): search.js gives it the index's address, and
 * Node's tests (tests/js/) a fetch that reads an index from disk.
 *
 * A search loads the manifest (index.json), one dictionary chunk per word, the postings
 * file of a common word (a rare word's postings are inline in its chunk) and the
 * fragments of the results shown. Facet data is loaded only when asked for.
 *
 *  - Words are looked up as typed (lower case): the dictionary maps every written form
 *    to its stem, so no stemmer runs here. A word that is not in the dictionary finds
 *    the words it begins ("samverk"); so does the last word while it is being typed.
 *  - A diary number however typed (`run 138/2024`, `RUN/0138/2024`) becomes its key, as
 *    in search/query.py (`normalise_query`; tests/search_cases.json holds the examples
 *    both must agree on): its case first, then pages that cite it.
 *  - All words must match; ranking sums, per word, idf × log(1 + weight).
 *  - Several values of one facet combine with OR, facets with AND; a facet's counts are
 *    as if nothing in that facet were chosen.
 *  - Documents are numbered newest first: sorting by date is sorting by number.
 */

export const FORMAT = 1;
/** The sort order "newest first" (search/page.py: SORT_DATE). */
export const SORT_DATE = "datum";
/** search/query.py: STOP_WORDS (both as in tests/search_cases.json). */
export const STOP_WORDS = new Set(
  ("alla att av blir de dem den denna det detta där efter eller en ett från för genom " +
    "har hos i inom inte kan med mellan mot nu när och om på per samt sig sin sina ska " +
    "som så till under utan var vara vid är än även över").split(" "),
);
/** How many words a half-typed word may stand for (each may cost a download). */
const PREFIX_WORDS = 12;
/** How many more dictionary chunks a half-typed word may look in. */
const PREFIX_CHUNKS = 3;
/** A word found by its beginning counts for less than the word itself. */
const PREFIX_FACTOR = 0.5;

const GROUPS = /\p{L}+|[0-9]+/gu;
const DIARY_PATTERN = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:dnr|diarienr|diarienummer)[.:]?\s*)?(` +
    String.raw`\p{L}+(?:-\p{L}+)*[\s/.:_-]*[0-9]+(?:[\s/.:_-]+[0-9]+)+` +
    String.raw`|[0-9]+(?:\s*[/.:_-]\s*[0-9]+)+` +
    String.raw`)(?![\p{L}\p{N}])`,
  "giu",
);
const TOKEN = /[\p{L}\p{N}]+/gu;
const PUNCTUATION = /^[.,:;!?"'()]+|[.,:;!?"'()]+$/g;

const isDigit = (c) => c >= "0" && c <= "9";

/** `RUN/0138/2024` -> `run1382024`: lower case, letters and digits, no leading zeros. */
export function diaryKey(text) {
  const groups = String(text).toLowerCase().match(GROUPS) || [];
  return groups.map((g) => (isDigit(g[0]) ? g.replace(/^0+/, "") || "0" : g)).join("");
}

/** Each diary number in `query` replaced by its key; spaces collapsed. */
export function normaliseQuery(query) {
  const replaced = String(query ?? "").replace(DIARY_PATTERN, (_, number) => diaryKey(number));
  return replaced.split(/\s+/).filter(Boolean).join(" ");
}

/** The query without stop words and single letters, unless nothing else is left. */
export function withoutStopWords(query) {
  const words = String(query ?? "").split(/\s+/).filter(Boolean);
  const kept = words.filter((w) => {
    const bare = w.toLowerCase().replace(PUNCTUATION, "");
    return (bare.length > 1 && !STOP_WORDS.has(bare)) || /^[0-9]+$/.test(bare);
  });
  return (kept.length ? kept : words).join(" ");
}

/** Lower-case words as the index holds them (search/index.py: `tokens`). */
export function tokens(text) {
  const found = String(text ?? "").normalize("NFC").toLowerCase().match(TOKEN) || [];
  return found.map((t) => (/^[0-9]+$/.test(t) ? t.replace(/^0+/, "") || "0" : t));
}

/** The words a query searches for, each once, in order. */
export function queryWords(query) {
  return [...new Set(tokens(withoutStopWords(normaliseQuery(query))))];
}

// -- reading the index ----------------------------------------------------------------

async function gunzip(bytes) {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes; // a server already inflated it
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** search/index.py `encode_postings`: count, doc deltas (varints), then weight bytes. */
export function decodePostings(bytes, weighted = true) {
  let offset = 0;
  const varint = () => {
    let n = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[offset++];
      n += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return n;
      shift += 7;
    }
  };
  const count = varint();
  const docs = new Uint32Array(count);
  let doc = 0;
  for (let i = 0; i < count; i++) {
    doc = i === 0 ? varint() : doc + varint();
    docs[i] = doc;
  }
  const weights = weighted ? bytes.subarray(offset, offset + count) : new Uint8Array(count).fill(1);
  return { docs, weights };
}

const decoder = new TextDecoder();

export class SearchIndex {
  /**
   * `base`: the absolute URL of the index folder (ending in "/"; the page resolves it
   * against its own address). `fetch`: how a file is fetched, `(url) => Response`: the
   * global fetch unless given (Node's tests read the index from disk).
   */
  constructor(base, { fetch } = {}) {
    this.base = new URL(base);
    this.fetch = fetch ? (url) => fetch(url) : (url) => globalThis.fetch(url);
    this.files = new Map();
    this.manifest = this.json("index.json", false).then((manifest) => {
      if (manifest.format !== FORMAT) throw new Error(`search index format ${manifest.format}`);
      return manifest;
    });
    this.facetData = null;
  }

  async bytes(name, versioned = true) {
    if (!this.files.has(name)) {
      const load = (async () => {
        const version = versioned ? `?v=${(await this.manifest).version}` : "";
        const response = await this.fetch(new URL(name + version, this.base));
        if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
        return gunzip(new Uint8Array(await response.arrayBuffer()));
      })();
      this.files.set(name, load);
      load.catch(() => this.files.delete(name)); // try again next time
    }
    return this.files.get(name);
  }

  async json(name, versioned = true) {
    return JSON.parse(decoder.decode(await this.bytes(name, versioned)));
  }

  /** The number of the dictionary chunk that holds `word` (or would). */
  async chunkNumber(word) {
    const { chunks } = await this.manifest;
    let low = 0;
    let high = chunks.length - 1;
    while (low < high) { // the last chunk whose first word is <= word
      const mid = (low + high + 1) >> 1;
      if (chunks[mid] <= word) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Chunk `number`: `{ words: Map(word -> stem index), stems: [[df, ref], ...] }`. A Map,
   * not the parsed object: a word like "constructor" must not meet Object's properties. */
  async chunk(number) {
    const { w, s } = await this.json(`c/${number}.bin`);
    return { words: new Map(Object.entries(w)), stems: s };
  }

  async postings(ref) {
    const bytes = typeof ref === "string" ? fromBase64(ref) : await this.bytes(`p/${ref}.bin`);
    return decodePostings(bytes);
  }

  /**
   * The written forms and postings `word` stands for: itself; with `prefix` (a word still
   * being typed), or when it is no word of the index, also the words it begins, from as
   * many chunks as they fill (up to PREFIX_CHUNKS). `lists` pairs each postings list with
   * a factor: 1 for the word itself, less for the others.
   */
  async lookup(word, prefix = false) {
    const { chunks } = await this.manifest;
    let number = await this.chunkNumber(word);
    const loaded = [await this.chunk(number)];
    // Stems with the same postings need them once. Two stems may well have the same
    // (a rare word's: one document, one weight), so a stem's written forms are found by
    // where it is in a chunk (`places`), not by its postings.
    const key = ([, ref]) => (typeof ref === "string" ? `i${ref}` : `p${ref}`);
    const chosen = new Map(); // postings key -> { stem: [df, ref], factor }
    const places = new Map(); // postings key -> Set of "chunk:stem index" of the stems
    const place = (k, at) => (places.get(k) || places.set(k, new Set()).get(k)).add(at);
    const exact = loaded[0].words.get(word);
    if (exact !== undefined) {
      const stem = loaded[0].stems[exact];
      chosen.set(key(stem), { stem, factor: 1 });
      place(key(stem), `0:${exact}`);
    }
    if ((prefix || exact === undefined) && word.length >= 3 && !/^[0-9]/.test(word)) {
      const begun = new Map();
      for (;;) {
        const c = loaded.length - 1;
        const chunk = loaded[c];
        for (const [w, index] of chunk.words) {
          if (!w.startsWith(word)) continue;
          const stem = chunk.stems[index];
          if (!chosen.has(key(stem))) begun.set(key(stem), stem);
          place(key(stem), `${c}:${index}`);
        }
        const next = chunks[number + 1];
        if (loaded.length > PREFIX_CHUNKS || next === undefined || !next.startsWith(word)) break;
        loaded.push(await this.chunk(++number));
      }
      // The most frequent first; a prefix stands for a bounded number of words.
      [...begun.entries()].sort((a, b) => b[1][0] - a[1][0])
        .slice(0, PREFIX_WORDS - chosen.size)
        .forEach(([k, stem]) => chosen.set(k, { stem, factor: PREFIX_FACTOR }));
    }
    const lists = await Promise.all([...chosen.values()].map(async ({ stem, factor }) => ({
      factor, ...(await this.postings(stem[1])) })));
    // Every written form of a chosen stem in the chunks loaded, for highlighting excerpts.
    const found = new Set([...chosen.keys()].flatMap((k) => [...places.get(k)]));
    const forms = loaded.flatMap((chunk, c) => [...chunk.words]
      .filter(([, index]) => found.has(`${c}:${index}`)).map(([w]) => w));
    return { forms, lists };
  }

  /**
   * Documents matching every word of `query`, scored: `{ docs, scores, forms }`, docs in
   * ascending number (newest first). `forms`: the written words found, for excerpts.
   */
  async match(query, { prefix = false } = {}) {
    const words = queryWords(query);
    if (!words.length) return { docs: new Uint32Array(0), scores: new Float64Array(0), forms: [] };
    const { docs: total } = await this.manifest;
    // While typing, the last word is probably not finished.
    const typing = prefix && /[\p{L}\p{N}]$/u.test(query);
    const found = await Promise.all(
      words.map((w, i) => this.lookup(w, typing && i === words.length - 1)));
    const hits = new Uint8Array(total);
    const scores = new Float64Array(total);
    const best = new Float32Array(total);
    for (const { lists } of found) {
      best.fill(0);
      for (const { factor, docs, weights } of lists) {
        for (let i = 0; i < docs.length; i++) {
          best[docs[i]] = Math.max(best[docs[i]], factor * weights[i]);
        }
      }
      let df = 0;
      for (let d = 0; d < total; d++) if (best[d]) df++;
      const idf = Math.log(1 + total / Math.max(df, 1));
      for (let d = 0; d < total; d++) {
        if (best[d]) {
          hits[d]++;
          scores[d] += idf * Math.log(1 + best[d]);
        }
      }
    }
    const matched = [];
    for (let d = 0; d < total; d++) if (hits[d] === words.length) matched.push(d);
    const docs = Uint32Array.from(matched);
    return { docs, scores: Float64Array.from(matched, (d) => scores[d]),
             forms: found.flatMap((f) => f.forms) };
  }

  /**
   * Facets (loaded once, on demand): `[{ name, values, offsets, items }]`, each document's
   * values as indexes into `values`: those of document d are
   * `items[offsets[d]] ... items[offsets[d + 1] - 1]` (a year, a unit, or programmes).
   */
  async facets() {
    if (!this.facetData) {
      this.facetData = (async () => {
        const [{ facets, docs: total }, data] = await Promise.all(
          [this.manifest, this.json("facets.bin")]);
        return facets.map((facet, f) => {
          const lists = data[f].map((encoded) => decodePostings(fromBase64(encoded), false).docs);
          const offsets = new Uint32Array(total + 1);
          for (const docs of lists) for (const d of docs) offsets[d + 1]++;
          for (let d = 0; d < total; d++) offsets[d + 1] += offsets[d];
          const items = new Uint16Array(offsets[total]);
          const filled = offsets.slice(0, total);
          lists.forEach((docs, v) => { for (const d of docs) items[filled[d]++] = v; });
          return { name: facet.name, values: facet.values, offsets, items };
        });
      })();
      this.facetData.catch(() => { this.facetData = null; });
    }
    return this.facetData;
  }

  /** What a result shows: `{ u, t, n, d, e, x }` (URL, title, number, date, unit, text). */
  async fragment(doc) {
    return this.json(`d/${doc}.bin`);
  }
}

/**
 * Filter and order a match. `chosen`: per facet name, a Set of chosen values (facets
 * must be loaded if any is chosen). Returns `{ docs, counts }`; `counts` per facet name
 * maps each value to how many documents it would have with the other facets' choices
 * applied (OR within a facet: its own choice does not narrow its counts). One pass.
 */
export function refine(match, facets, chosen, sort) {
  const all = facets || [];
  const masks = all.map((facet) => {
    const values = chosen[facet.name];
    if (!values?.size) return null;
    return Uint8Array.from(facet.values, (v) => (values.has(v) ? 1 : 0));
  });
  const counts = all.map((facet) => new Uint32Array(facet.values.length));
  const addCounts = (f, doc) => {
    const { offsets, items } = all[f];
    for (let k = offsets[doc]; k < offsets[doc + 1]; k++) counts[f][items[k]]++;
  };
  const order = [];
  for (let i = 0; i < match.docs.length; i++) {
    const doc = match.docs[i];
    let failed = -1;
    let failures = 0;
    for (let f = 0; f < all.length && failures < 2; f++) {
      const mask = masks[f];
      if (!mask) continue;
      const { offsets, items } = all[f];
      let hit = false;
      for (let k = offsets[doc]; k < offsets[doc + 1] && !hit; k++) hit = mask[items[k]] === 1;
      if (!hit) {
        failures++;
        failed = f;
      }
    }
    if (failures === 0) {
      order.push(i);
      for (let f = 0; f < all.length; f++) addCounts(f, doc);
    } else if (failures === 1) {
      addCounts(failed, doc); // would pass if nothing were chosen in that facet
    }
  }
  if (sort !== SORT_DATE) {
    order.sort((a, b) => match.scores[b] - match.scores[a] || match.docs[a] - match.docs[b]);
  }
  return {
    docs: order.map((i) => match.docs[i]),
    counts: Object.fromEntries(all.map((facet, f) => [
      facet.name, new Map(facet.values.map((v, i) => [v, counts[f][i]]))])),
  };
}
