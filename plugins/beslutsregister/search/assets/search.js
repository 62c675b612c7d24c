/* The search page (sok/): a search field, results with excerpts, facets and a sort
 * order, over the register's own index (./search-engine.js). The query, the sort order
 * and chosen facet values are kept in the address, so a result's back button returns
 * to the same list. Everything shown from the index is set as text, never as HTML.
 * This module is the page's wiring; what it shows and keeps is ./search-state.js. */
import { SearchIndex, SORT_DATE, refine } from "./search-engine.js";
import {
  describe, excerpt, facetOptions, pruneChoices, readState, resultView, setChoice,
  stateAddress,
} from "./search-state.js";

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

const index = new SearchIndex(new URL(root.dataset.index, location.href));
const siteRoot = new URL(root.dataset.root || "../", location.href);

const state = {
  ...readState(location.search), // query, sort, chosen: facet name -> Set of values
  facets: null,
  match: null,
  matched: "", // the query of `match`
  docs: [],
  shown: 0,
  forms: [],
};

function remember() {
  history.replaceState(history.state, "", stateAddress(location.href, state));
}

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

// -- results ----------------------------------------------------------------------------

function result(fragment) {
  const view = resultView(fragment, siteRoot);
  const link = element("a", { href: view.href, textContent: view.title });
  const facts = element("p", { className: "br-result__meta" },
    ...view.facts.flatMap(({ name, label, value }, i) => {
      const item = element("span", { className: "br-result__meta-item" }, `${label}: ${value}`);
      item.dataset.meta = name;
      return i ? [" · ", item] : [item];
    }));
  const marked = excerpt(fragment.x, state.forms).map(({ text, mark }) => (
    mark ? element("mark", { textContent: text }) : text));
  return element("li", { className: "br-result" },
    element("h2", { className: "br-result__title" }, link), facts,
    element("p", { className: "br-result__excerpt" }, ...marked));
}

/** Results from `start` on (a page of them), as list items; null if a newer render began. */
async function batch(start, render) {
  const docs = state.docs.slice(start, start + PAGE_SIZE);
  const fragments = await Promise.all(docs.map((doc) => index.fragment(doc)));
  return render === renders ? fragments.map(result) : null;
}

async function showMore() {
  if (more.getAttribute("aria-busy") === "true") return; // a double click: one page
  more.setAttribute("aria-busy", "true");
  try {
    const items = await batch(state.shown, renders);
    if (!items) return;
    list.append(...items);
    state.shown += items.length;
    more.hidden = state.shown >= state.docs.length;
    items[0]?.querySelector("a").focus(); // where the reader goes on reading
  } finally {
    more.removeAttribute("aria-busy");
  }
}

/** Every change of the list (a search, a facet, the order) is one render; an older one
 * that finishes late shows nothing. */
let renders = 0;
async function show() {
  const render = ++renders;
  const query = state.matched; // the status names the search these results are for
  const { docs, counts } = refine(state.match, state.facets, state.chosen, state.sort);
  state.docs = docs;
  if (state.facets) renderFacets(counts);
  const items = await batch(0, render);
  if (!items) return;
  list.replaceChildren(...items);
  state.shown = items.length;
  more.hidden = state.shown >= docs.length;
  status.textContent = describe(query, docs.length);
}

let sequence = 0;
/** Search for `state.query`; `typing`: the reader is still typing its last word. */
async function search(typing = false) {
  const mine = ++sequence;
  remember();
  if (!state.query) {
    state.match = null;
    renders++;
    list.replaceChildren();
    status.textContent = "";
    more.hidden = true;
    if (state.facets) renderFacets(null);
    return;
  }
  status.textContent = "Söker …";
  try {
    const query = state.query;
    const match = await index.match(query, { prefix: typing });
    if (mine !== sequence) return;
    state.match = match;
    state.matched = query;
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

/** The facets' check boxes with counts (`counts` null: no search yet, nothing to count). */
function renderFacets(counts) {
  if (!counts) {
    facetPanel.replaceChildren(element("p", {
      textContent: "Sök först: sedan visas hur många träffar varje år, program och enhet har.",
    }));
    return;
  }
  const focused = facetPanel.querySelector("input:focus");
  const again = focused ? `${focused.name}\u0000${focused.value}` : null;
  facetPanel.replaceChildren(...state.facets.map((facet) => {
    const options = facetOptions(facet, counts, state.chosen).map(({ value, count, checked }) => {
      const box = element("input", { type: "checkbox", name: facet.name, value, checked });
      box.addEventListener("change", () => choose(facet.name, value, box.checked));
      return element("label", { className: "br-facet__value" }, box, ` ${value} `,
        element("span", { className: "br-facet__count", textContent: `(${count})` }));
    });
    return element("fieldset", { className: "br-facet" },
      element("legend", { textContent: facet.name }), ...options);
  }));
  for (const box of facetPanel.querySelectorAll("input")) {
    if (`${box.name}\u0000${box.value}` === again) box.focus();
  }
}

function choose(name, value, on) {
  state.chosen = setChoice(state.chosen, name, value, on);
  remember();
  if (state.match) show();
}

/** Load and show the facets; `focus`: the reader asked (the button), so focus follows. */
async function loadFacets(focus = false) {
  facetButton.disabled = true;
  try {
    state.facets = await index.facets();
  } catch (error) {
    facetButton.disabled = false;
    status.textContent = "Avgränsningarna kunde inte hämtas. Försök igen.";
    return;
  }
  // A value no longer in the register (an old address) would hide every result.
  state.chosen = pruneChoices(state.chosen, state.facets);
  remember();
  facetPanel.hidden = false;
  facetButton.setAttribute("aria-expanded", "true");
  if (state.match) await show();
  else renderFacets(null);
  facetButton.hidden = true;
  if (focus) { // the button is gone: the focus goes to what it opened
    facetPanel.tabIndex = -1;
    (facetPanel.querySelector("input") || facetPanel).focus();
  }
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
facetButton.addEventListener("click", () => loadFacets(true));
more.addEventListener("click", showMore);

form.hidden = false;
tools.hidden = false;
input.value = state.query;
sort.value = state.sort;
if (!state.query) input.focus();
if (Object.keys(state.chosen).length) loadFacets();
search();
