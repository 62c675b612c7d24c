/* The register's search engine: reads the static index written by
 * beslutsregister/searchindex.py (published as assets/beslutsregister/search-engine.js).
 *
 * A search loads the manifest (index.json), one dictionary chunk per word, the postings
 * file of a common word (a rare word's postings are inline in its chunk) and the
 * fragments of the results shown. Facet data is loaded only when asked for.
 *
 *  - Words are looked up as typed (lower case): the dictionary maps every written form
 *    to its stem, so no stemmer runs here. A word that is not in the dictionary finds
 *    the words it begins ("samverk"); so does the last word while it is being typed.
 *  - A diary number however typed (`run 138/2024`, `RUN/0138/2024`) becomes its key, as
 *    in search.py (`normalise_query`; the tests run one table through both): its case
 *    first, then pages that cite it.
 *  - All words must match; ranking sums, per word, idf × log(1 + weight).
 *  - Several values of one facet combine with OR, facets with AND; a facet's counts are
 *    as if nothing in that facet were chosen.
 *  - Documents are numbered newest first: sorting by date is sorting by number.
 */

export const FORMAT = 1;
/** The sort order "newest first" (search.py: SORT_DATE). */
export const SORT_DATE = "datum";
/** search.py: STOP_WORDS. */
export const STOP_WORDS = new Set(
  ("alla att av blir de dem den denna det detta där efter eller en ett från för genom " +
    "har hos i inom inte kan med mellan mot nu när och om på per samt sig sin sina ska " +
    "som så till under utan var vara vid är än även över").split(" "),
);
/** How many words a half-typed word may stand for (each may cost a download). */
const PREFIX_WORDS = 12;
/** A word found by its beginning counts for less than the word itself. */
const PREFIX_FACTOR = 0.5;

const GROUPS = /\p{L}+|[0-9]+/gu;
const DIARY_PATTERN = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:dnr|diarienr|diarienummer)[.:]?\s*)?(` +
    String.raw`\p{L}+[\s/.:_-]*[0-9]+(?:[\s/.:_-]+[0-9]+)+` +
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

/** Lower-case words as the index holds them (searchindex.py: `tokens`). */
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

/** searchindex.py `encode_postings`: count, doc deltas (varints), then weight bytes. */
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
  /** `base`: URL of the index folder (ending in "/"). */
  constructor(base) {
    this.base = new URL(base, location.href);
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
        const response = await fetch(new URL(name + version, this.base));
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

  /** The dictionary chunk that holds `word` (or would), and its number. */
  async chunkFor(word) {
    const { chunks } = await this.manifest;
    let low = 0;
    let high = chunks.length - 1;
    while (low < high) { // the last chunk whose first word is <= word
      const mid = (low + high + 1) >> 1;
      if (chunks[mid] <= word) low = mid;
      else high = mid - 1;
    }
    return { number: low, chunk: await this.json(`c/${low}.bin`) };
  }

  async postings(ref) {
    const bytes = typeof ref === "string" ? fromBase64(ref) : await this.bytes(`p/${ref}.bin`);
    return decodePostings(bytes);
  }

  /**
   * The written forms and postings `word` stands for: itself; with `prefix` (a word still
   * being typed), or when it is no word of the index, also the words it begins.
   * `lists` pairs each postings list with a factor: 1 for the word itself, less for others.
   */
  async lookup(word, prefix = false) {
    const { number, chunk } = await this.chunkFor(word);
    const exact = word in chunk.w ? chunk.w[word] : null;
    const stems = new Map(); // stem index -> factor
    if (exact !== null) stems.set(exact, 1);
    if ((prefix || exact === null) && word.length >= 3 && !/^[0-9]/.test(word)) {
      const words = { ...chunk.w };
      const table = [...chunk.s];
      const { chunks } = await this.manifest;
      const next = chunks[number + 1];
      if (next !== undefined && next.startsWith(word)) { // the words go on in the next chunk
        const more = await this.json(`c/${number + 1}.bin`);
        for (const [w, s] of Object.entries(more.w)) words[w] = table.push(more.s[s]) - 1;
      }
      Object.assign(chunk, { w: words, s: table });
      const begun = new Set(Object.keys(words).filter((w) => w.startsWith(word))
        .map((w) => words[w]).filter((s) => s !== exact));
      // The most frequent first; a prefix stands for a bounded number of words.
      [...begun].sort((a, b) => table[b][0] - table[a][0])
        .slice(0, PREFIX_WORDS - stems.size)
        .forEach((s) => stems.set(s, PREFIX_FACTOR));
    }
    const chosen = [...stems.entries()];
    const lists = await Promise.all(chosen.map(async ([s, factor]) => ({
      factor, ...(await this.postings(chunk.s[s][1])) })));
    // Every written form of a chosen stem, for highlighting excerpts.
    const forms = Object.keys(chunk.w).filter((w) => stems.has(chunk.w[w]));
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

  /** Facets: `[{ name, values: [{ value, docs: Set }] }]` (loaded once, on demand). */
  async facets() {
    if (!this.facetData) {
      this.facetData = (async () => {
        const [{ facets }, data] = await Promise.all([this.manifest, this.json("facets.bin")]);
        return facets.map((facet, f) => ({
          name: facet.name,
          values: facet.values.map((value, v) => ({
            value,
            docs: new Set(decodePostings(fromBase64(data[f][v]), false).docs),
          })),
        }));
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
 * maps each value to how many documents it would have, other facets' choices applied.
 */
export function refine(match, facets, chosen, sort) {
  const active = (facets || []).filter((f) => chosen[f.name]?.size);
  const passes = (doc, except) => active.every((facet) => facet === except ||
    facet.values.some((v) => chosen[facet.name].has(v.value) && v.docs.has(doc)));
  const order = [];
  for (let i = 0; i < match.docs.length; i++) if (passes(match.docs[i], null)) order.push(i);
  if (sort !== SORT_DATE) {
    order.sort((a, b) => match.scores[b] - match.scores[a] || match.docs[a] - match.docs[b]);
  }
  const counts = {};
  for (const facet of facets || []) {
    const docs = [];
    for (const doc of match.docs) if (passes(doc, facet)) docs.push(doc);
    counts[facet.name] = new Map(
      facet.values.map((v) => [v.value, docs.reduce((n, d) => n + (v.docs.has(d) ? 1 : 0), 0)]),
    );
  }
  return { docs: order.map((i) => match.docs[i]), counts };
}
