/* The search page (sok/): a search field, results with excerpts, facets and a sort
 * order, over the register's own index (./search-engine.js). The query, the sort order
 * and chosen facet values are kept in the address, so a result's back button returns
 * to the same list. Everything shown from the index is set as text, never as HTML. */
import { SearchIndex, SORT_DATE, refine } from "./search-engine.js";

const PAGE_SIZE = 10;
const root = document.getElementById("br-search");
const form = root.querySelector(".br-search__form");
const input = document.getElementById("br-q");
const tools = root.querySelector(".br-search__tools");
const sort = document.getElementById("br-sort");
const facetButton = document.getElementById("br-facets");
const facetPanel = document.getElementById("br-facet-panel");
const status = document.getElementById("br-status");
const list = document.getElementById("br-results");
const more = document.getElementById("br-more");

const index = new SearchIndex(root.dataset.index);
const siteRoot = new URL(root.dataset.root || "../", location.href);
const params = new URLSearchParams(location.search);
const number = new Intl.NumberFormat("sv-SE");

const state = {
  query: (params.get("q") || "").trim(),
  sort: params.get("ordning") === SORT_DATE ? SORT_DATE : "",
  chosen: {}, // facet name -> Set of values
  facets: null,
  match: null,
  docs: [],
  shown: 0,
  forms: [],
};
for (const [name, value] of params) {
  if (name.startsWith("f.")) (state.chosen[name.slice(2)] ||= new Set()).add(value);
}

function remember() {
  const url = new URL(location.href);
  for (const name of [...url.searchParams.keys()]) {
    if (name.startsWith("f.")) url.searchParams.delete(name);
  }
  const set = (name, value) => (value ? url.searchParams.set(name, value)
    : url.searchParams.delete(name));
  set("q", state.query);
  set("ordning", state.sort);
  for (const [name, values] of Object.entries(state.chosen)) {
    for (const value of values) url.searchParams.append(`f.${name}`, value);
  }
  history.replaceState(history.state, "", url);
}

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

// -- excerpts ---------------------------------------------------------------------------

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A stretch of `text` around the first word found, as nodes with the words marked. */
function excerpt(text, forms) {
  const words = forms.filter((w) => !/^[0-9]+$/.test(w) || w.length > 1);
  const pattern = words.length ? new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${words.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}])`, "giu")
    : null;
  const first = pattern ? text.search(pattern) : -1;
  let start = Math.max(0, first - 80);
  let end = Math.min(text.length, Math.max(first, 0) + 220);
  if (start > 0) start = text.indexOf(" ", start) + 1 || start;
  if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
  const part = text.slice(start, end);
  const nodes = [start > 0 ? "… " : ""];
  let last = 0;
  if (pattern) {
    for (const found of part.matchAll(pattern)) {
      nodes.push(part.slice(last, found.index), element("mark", { textContent: found[0] }));
      last = found.index + found[0].length;
    }
  }
  nodes.push(part.slice(last), end < text.length ? " …" : "");
  return nodes;
}

// -- results ----------------------------------------------------------------------------

function result(fragment) {
  const link = element("a", { href: new URL(fragment.u, siteRoot).pathname,
                              textContent: fragment.t });
  const meta = (name, label, value) => {
    const item = element("span", { className: "br-result__meta-item" }, `${label}: ${value}`);
    item.dataset.meta = name;
    return item;
  };
  const facts = element("p", { className: "br-result__meta" },
    meta("diarienummer", "Diarienummer", fragment.n), " · ",
    meta("beslutsdatum", "Beslutsdatum", fragment.d), " · ",
    meta("enhet", "Enhet", fragment.e));
  return element("li", { className: "br-result" },
    element("h2", { className: "br-result__title" }, link), facts,
    element("p", { className: "br-result__excerpt" }, ...excerpt(fragment.x, state.forms)));
}

async function showMore(focus = false) {
  const batch = state.docs.slice(state.shown, state.shown + PAGE_SIZE);
  const token = state.match;
  const fragments = await Promise.all(batch.map((doc) => index.fragment(doc)));
  if (token !== state.match) return; // a newer search has started
  const items = fragments.map(result);
  list.append(...items);
  state.shown += batch.length;
  more.hidden = state.shown >= state.docs.length;
  if (focus && items.length) items[0].querySelector("a").focus();
}

function describe(count) {
  const what = `Sökningen på ”${state.query}” gav `;
  if (count === 0) return `${what}inga träffar.`;
  return `${what}${number.format(count)} ${count === 1 ? "träff" : "träffar"}.`;
}

async function show() {
  const { docs, counts } = refine(state.match, state.facets, state.chosen, state.sort);
  state.docs = docs;
  state.shown = 0;
  list.replaceChildren();
  if (state.facets) renderFacets(counts);
  await showMore();
  status.textContent = describe(docs.length);
}

let sequence = 0;
/** Search for `state.query`; `typing`: the reader is still typing its last word. */
async function search(typing = false) {
  const mine = ++sequence;
  remember();
  if (!state.query) {
    state.match = null;
    list.replaceChildren();
    status.textContent = "";
    more.hidden = true;
    return;
  }
  status.textContent = "Söker …";
  try {
    const match = await index.match(state.query, { prefix: typing });
    if (mine !== sequence) return;
    state.match = match;
    state.forms = match.forms;
    await show();
  } catch (error) {
    if (mine !== sequence) return;
    status.textContent = "Sökningen kunde inte genomföras. Försök igen, eller bläddra i " +
      "registrets översikt.";
    throw error;
  }
}

// -- facets -----------------------------------------------------------------------------

function renderFacets(counts) {
  const open = facetPanel.querySelectorAll("input:focus");
  const focused = open.length ? `${open[0].name}\u0000${open[0].value}` : null;
  facetPanel.replaceChildren(...state.facets.map((facet) => {
    const chosen = state.chosen[facet.name] || new Set();
    const options = facet.values
      .filter((v) => counts[facet.name].get(v.value) || chosen.has(v.value))
      .map((v) => {
        const box = element("input", { type: "checkbox", name: facet.name, value: v.value,
                                       checked: chosen.has(v.value) });
        box.addEventListener("change", () => choose(facet.name, v.value, box.checked));
        return element("label", { className: "br-facet__value" }, box, ` ${v.value} `,
          element("span", { className: "br-facet__count",
                            textContent: `(${counts[facet.name].get(v.value)})` }));
      });
    return element("fieldset", { className: "br-facet" },
      element("legend", { textContent: facet.name }), ...options);
  }));
  if (focused) {
    for (const box of facetPanel.querySelectorAll("input")) {
      if (`${box.name}\u0000${box.value}` === focused) box.focus();
    }
  }
}

function choose(name, value, on) {
  const values = (state.chosen[name] ||= new Set());
  if (on) values.add(value);
  else values.delete(value);
  if (!values.size) delete state.chosen[name];
  remember();
  if (state.match) show();
}

async function loadFacets() {
  facetButton.disabled = true;
  state.facets = await index.facets();
  facetPanel.hidden = false;
  facetButton.setAttribute("aria-expanded", "true");
  facetButton.hidden = true;
  if (state.match) await show();
  else renderFacets(refine({ docs: [], scores: [] }, state.facets, state.chosen, "").counts);
}

// -- wiring -----------------------------------------------------------------------------

let typing = 0;
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => {
    state.query = input.value.trim();
    search(true);
  }, 250);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  state.query = input.value.trim();
  search();
});
sort.addEventListener("change", () => {
  state.sort = sort.value === SORT_DATE ? SORT_DATE : "";
  remember();
  if (state.match) show();
});
facetButton.addEventListener("click", loadFacets);
more.addEventListener("click", () => showMore(true));

form.hidden = false;
tools.hidden = false;
input.value = state.query;
sort.value = state.sort;
if (!state.query) input.focus();
if (Object.keys(state.chosen).length) loadFacets();
search();
