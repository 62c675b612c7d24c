/* What the search page shows and keeps, without the page: the state in its address,
 * chosen facet values, excerpts, the status line and a result's facts. A pure module
 * (no DOM, no `location`): search.js turns its answers into the page, and Node's tests
 * (tests/js/search-state.test.mjs) check them. */
import { SORT_DATE } from "./search-engine.js";

/** Address parameters: the query, the sort order, and one `f.<facet>` per chosen value. */
export const QUERY = "q";
export const ORDER = "ordning";
export const FACET = "f.";

// -- the address ------------------------------------------------------------------------

/**
 * The search an address asks for (`search`: its query string, `?q=...`):
 * `{ query, sort, chosen }`, `chosen` per facet name a Set of values. An unknown sort
 * order is the default (best match first: "").
 */
export function readState(search) {
  const params = new URLSearchParams(search);
  const chosen = {};
  for (const [name, value] of params) {
    if (name.startsWith(FACET)) (chosen[name.slice(FACET.length)] ||= new Set()).add(value);
  }
  return {
    query: (params.get(QUERY) || "").trim(),
    sort: params.get(ORDER) === SORT_DATE ? SORT_DATE : "",
    chosen,
  };
}

/**
 * `href` (the page's address) with `{ query, sort, chosen }` in it, as a URL: other
 * parameters and the fragment stay, an empty query or the default order is left out.
 */
export function stateAddress(href, { query, sort, chosen }) {
  const url = new URL(href);
  for (const name of [...url.searchParams.keys()]) {
    if (name.startsWith(FACET)) url.searchParams.delete(name);
  }
  const set = (name, value) => (value ? url.searchParams.set(name, value)
    : url.searchParams.delete(name));
  set(QUERY, query);
  set(ORDER, sort);
  for (const [name, values] of Object.entries(chosen)) {
    for (const value of values) url.searchParams.append(`${FACET}${name}`, value);
  }
  return url;
}

// -- facets -----------------------------------------------------------------------------

/** `chosen` with `value` of facet `name` chosen (`on`) or not; a facet left with no
 * value is dropped. A new object: `chosen` is not changed. */
export function setChoice(chosen, name, value, on) {
  const next = Object.fromEntries(Object.entries(chosen).map(([n, v]) => [n, new Set(v)]));
  const values = (next[name] ||= new Set());
  if (on) values.add(value);
  else values.delete(value);
  if (!values.size) delete next[name];
  return next;
}

/** `chosen` without the values its facets no longer have (an old address: such a value
 * would hide every result); a facet left with no value is dropped. A new object. */
export function pruneChoices(chosen, facets) {
  const next = Object.fromEntries(Object.entries(chosen).map(([n, v]) => [n, new Set(v)]));
  for (const facet of facets) {
    const values = next[facet.name];
    if (!values) continue;
    for (const value of values) if (!facet.values.includes(value)) values.delete(value);
    if (!values.size) delete next[facet.name];
  }
  return next;
}

/** The check boxes of one facet: `[{ value, count, checked }]`, in the facet's order; a
 * value no result has is left out unless it is chosen (so it can be unchosen). */
export function facetOptions(facet, counts, chosen) {
  const values = chosen[facet.name] || new Set();
  const count = counts[facet.name];
  return facet.values
    .filter((v) => count.get(v) || values.has(v))
    .map((v) => ({ value: v, count: count.get(v) || 0, checked: values.has(v) }));
}

// -- results ----------------------------------------------------------------------------

const number = new Intl.NumberFormat("sv-SE");

/** The status line after a search: "Sökningen på ”x” gav 1 435 träffar." */
export function describe(query, count) {
  const what = `Sökningen på ”${query}” gav `;
  if (count === 0) return `${what}inga träffar.`;
  return `${what}${number.format(count)} ${count === 1 ? "träff" : "träffar"}.`;
}

/** What a result shows of a fragment (search-engine.js: `fragment`): the link's path
 * (its URL is relative to the site's root, `siteRoot`), the title, and the facts. */
export function resultView(fragment, siteRoot) {
  return {
    href: new URL(fragment.u, siteRoot).pathname,
    title: fragment.t,
    facts: [
      { name: "diarienummer", label: "Diarienummer", value: fragment.n },
      { name: "beslutsdatum", label: "Beslutsdatum", value: fragment.d },
      { name: "enhet", label: "Enhet", value: fragment.e },
    ],
  };
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A stretch of `text` around the first of the words found (`forms`, any case, whole
 * words; a single digit is too common to mark), cut at spaces, "…" where cut: a list of
 * `{ text, mark }`, `mark` true for a word found.
 */
export function excerpt(text, forms) {
  const words = forms.filter((w) => !/^[0-9]+$/.test(w) || w.length > 1);
  const pattern = words.length ? new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${words.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}])`, "giu")
    : null;
  const first = pattern ? text.search(pattern) : -1;
  let start = Math.max(0, first - 80);
  let end = Math.min(text.length, Math.max(first, 0) + 220);
  if (start > 0) start = text.indexOf(" ", start) + 1 || start;
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space > start) end = space;
  }
  const part = text.slice(start, end);
  const parts = [];
  const add = (piece, mark = false) => {
    if (!piece) return;
    const last = parts[parts.length - 1];
    if (!mark && last && !last.mark) last.text += piece;
    else parts.push({ text: piece, mark });
  };
  add(start > 0 ? "… " : "");
  let last = 0;
  if (pattern) {
    for (const found of part.matchAll(pattern)) {
      add(part.slice(last, found.index));
      add(found[0], true);
      last = found.index + found[0].length;
    }
  }
  add(part.slice(last));
  add(end < text.length ? " …" : "");
  return parts;
}
