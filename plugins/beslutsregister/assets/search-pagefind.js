/* The register's search, as Pagefind's UI sees it (published as
 * assets/beslutsregister/pagefind.js).
 *
 * Pagefind's Default UI imports `pagefind.js` from its bundle path. The search page
 * points that path here, so every search the UI makes passes through this module. It
 * re-exports Pagefind's own API unchanged, except that:
 *
 *  - `search` finds a diary number however it is typed (`run 138/2024`,
 *    `RUN/0138/2024`), with its own case first: the same normalisation as
 *    `normalise_query` in beslutsregister/search.py (the tests run one table of
 *    examples through both);
 *  - `search` drops Swedish stop words from a query that has other words
 *    (`without_stop_words` in search.py): each would load a large part of the index
 *    and narrow nothing;
 *  - several values of one facet combine with OR (Pagefind's default is AND), and a
 *    facet's values are counted the way OR facets need: as if nothing in that facet
 *    were chosen;
 *  - results sort by decision date, newest first, when the reader chooses (`setSort`);
 *  - `filters` stays empty until the reader asks for facets (`loadFacets`): their data
 *    grows with the register, and a first search should not have to carry it;
 *  - `preload` does nothing (see there).
 */
import * as pagefind from "../../pagefind/pagefind.js";

export * from "../../pagefind/pagefind.js";

/** Suffix of the keys a case is indexed under (search.py: KEY_SUFFIX). */
export const KEY_SUFFIX = "dnr";
/** The sort key of the decision date (search.py: SORT_DATE). */
export const SORT_DATE = "datum";
/** search.py: STOP_WORDS. */
export const STOP_WORDS = new Set(
  ("alla att av blir de dem den denna det detta där efter eller en ett från för genom " +
    "har hos i inom inte kan med mellan mot nu när och om på per samt sig sin sina ska " +
    "som så till under utan var vara vid är än även över").split(" "),
);

const GROUPS = /\p{L}+|[0-9]+/gu;
const DIARY_IN_QUERY = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:(?:dnr|diarienr|diarienummer)[.:]?\s*)?(` +
    String.raw`\p{L}+[\s/.:_-]*[0-9]+(?:[\s/.:_-]+[0-9]+)+` +
    String.raw`|[0-9]+(?:\s*[/.:_-]\s*[0-9]+)+` +
    String.raw`)(?![\p{L}\p{N}])`,
  "giu",
);
const PUNCTUATION = /^[.,:;!?"'()]+|[.,:;!?"'()]+$/g;

const isDigit = (c) => c >= "0" && c <= "9";

/** `RUN/0138/2024` -> `run1382024`: lower case, letters and digits, no leading zeros. */
export function diaryKey(text) {
  const groups = String(text).toLowerCase().match(GROUPS) || [];
  return groups.map((g) => (isDigit(g[0]) ? g.replace(/^0+/, "") || "0" : g)).join("");
}

/** Each diary number in `query` replaced by its key + `keySuffix`; spaces collapsed. */
export function normaliseQuery(query, keySuffix = "") {
  const replaced = String(query ?? "").replace(
    DIARY_IN_QUERY,
    (_, number) => diaryKey(number) + keySuffix,
  );
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

/* The diary numbers in a query, each with its key and a pattern that finds it in text
 * however it is written there (RUN/138/2024, RUN 0138/2024...). */
function diaryNumbersIn(query) {
  return [...String(query ?? "").matchAll(DIARY_IN_QUERY)].map(([, number]) => {
    const groups = number.toLowerCase().match(GROUPS) || [];
    const parts = groups.map((g) => (isDigit(g[0]) ? `0*${g.replace(/^0+/, "") || "0"}` : g));
    const separated = parts.join(String.raw`[\s/.:_-]*`);
    return {
      key: diaryKey(number),
      hasLetters: /\p{L}/u.test(number),
      pattern: new RegExp(String.raw`(?<![\p{L}\p{N}])${separated}(?![\p{L}\p{N}])`, "iu"),
    };
  });
}

let order = "";
let lastFilters = {};
let facets = false;

/** `"datum"`: newest decision first; anything else: best match first. */
export function setSort(value) {
  order = value === SORT_DATE ? SORT_DATE : "";
}

/** The facet values of the last search, as the UI passed them ({name: [values]}). */
export function currentFilters() {
  return lastFilters;
}

/** Facets and their counts: none until `loadFacets`. */
export async function filters() {
  return facets ? pagefind.filters() : {};
}

/** Load the facets' data; searches from now on carry facet counts. */
export async function loadFacets() {
  facets = true;
  return pagefind.filters();
}

function searchOptions(filters) {
  const any = {};
  for (const [name, values] of Object.entries(filters || {})) {
    if (Array.isArray(values)) {
      if (values.length) any[name] = { any: values };
    } else if (values != null) {
      any[name] = values;
    }
  }
  const options = { filters: any };
  if (order) options.sort = { [SORT_DATE]: "desc" };
  return options;
}

async function withFacetCounts(term, filters) {
  const result = await pagefind.search(term, searchOptions(filters));
  if (!result) return result;
  if (!facets) return { ...result, filters: {}, totalFilters: {} };
  // Pagefind counts what each value would leave if *added* to the selection. Within an
  // OR facet that is not the question; count the facet as if nothing in it were chosen.
  for (const name of Object.keys(filters || {})) {
    const others = { ...filters };
    delete others[name];
    const unselected = await pagefind.search(term, searchOptions(others));
    if (unselected?.filters?.[name]) {
      result.filters = { ...result.filters, [name]: unselected.filters[name] };
    }
  }
  return result;
}

function sameCase(meta, numbers) {
  const key = diaryKey(meta?.diarienummer || "");
  const digits = key.replace(/^\p{L}+/u, "");
  return numbers.some((n) => n.key === key || n.key === digits);
}

function withoutResults(result) {
  const zero = (counts) =>
    Object.fromEntries(
      Object.entries(counts || {}).map(([name, values]) => [
        name,
        Object.fromEntries(Object.keys(values).map((v) => [v, 0])),
      ]),
    );
  return { ...result, results: [], filters: zero(result.filters) };
}

export async function search(term, options = {}) {
  const filters = options.filters || {};
  lastFilters = filters;
  const numbers = diaryNumbersIn(term);
  if (!numbers.length) return withFacetCounts(withoutStopWords(term), filters);
  // A diary number. Its own case is indexed under the key + suffix; search that and
  // keep what really is that case (Pagefind answers a word it does not know with the
  // longest known word it starts with, so "run82024dnr" would find pages with "run").
  const query = withoutStopWords(normaliseQuery(term));
  const keys = withoutStopWords(normaliseQuery(term, KEY_SUFFIX));
  const exact = await pagefind.search(keys, searchOptions(filters));
  const own = [];
  for (const result of (exact?.results || []).slice(0, 5)) {
    // Shorter-word answers are all or nothing: the first tells which this is.
    if (!sameCase((await result.data()).meta, numbers)) break;
    own.push(result);
  }
  // Then the pages that mention it, if Pagefind found the number itself and not a
  // shorter word: the first of them must contain it.
  const rest = await withFacetCounts(query, filters);
  if (!rest) return rest;
  let mentions = own.length > 0;
  if (!mentions && rest.results.length) {
    const content = (await rest.results[0].data()).content || "";
    mentions = numbers.every((n) => n.pattern.test(content));
  }
  if (!mentions) {
    // No such case and no page that mentions it. A number with letters (RUN/8/2024) was
    // a diary number all the same: nothing found. Digits alone may be a date or the
    // like: search them as typed.
    if (numbers.some((n) => n.hasLetters)) return withoutResults(rest);
    return withFacetCounts(withoutStopWords(term), filters);
  }
  const first = new Set(own.map((r) => r.id));
  rest.results = [...own, ...rest.results.filter((r) => !first.has(r.id))];
  return rest;
}

/* Pagefind's UI preloads the index for every keystroke; on a phone that is a download
 * per letter (the chunks of "f", "fö", "för"...). The search after the typing pause
 * loads what it needs. */
export async function preload() {}
