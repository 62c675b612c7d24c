/* The search page (sok/): Pagefind's Default UI, in Swedish, over the register's search
 * (./pagefind.js: diary numbers, stop words, OR facets, date sort), with the query and
 * the sort order kept in the address so a result's back button returns to the list. */
import * as engine from "./pagefind.js";

const params = new URLSearchParams(location.search);
const query = (params.get("q") || "").trim();
const tools = document.querySelector(".br-search__tools");
const sort = document.getElementById("br-sort");
const facets = document.getElementById("br-facets");

function remember(name, value) {
  const url = new URL(location.href);
  if (value) url.searchParams.set(name, value);
  else url.searchParams.delete(name);
  history.replaceState(history.state, "", url);
}

/* The diary-number keys (…dnr) are indexed text, not something to show in an excerpt. */
function cleanExcerpt(excerpt) {
  return String(excerpt || "").replace(
    /(?:<mark>)?[\p{L}\p{N}]*[0-9]dnr\.?(?:<\/mark>)?\s*/gu,
    "",
  );
}

engine.setSort(params.get("ordning") || "");
if (sort) sort.value = params.get("ordning") === engine.SORT_DATE ? engine.SORT_DATE : "";
tools?.removeAttribute("hidden");

const ui = new PagefindUI({
  element: "#br-search-ui",
  bundlePath: new URL("./", import.meta.url).pathname,
  showImages: false,
  showSubResults: false,
  pageSize: 10,
  autofocus: !query,
  translations: {
    placeholder: "Sök på ord, projekt, enhet eller diarienummer",
    search_label: "Sök i registret",
    filters_label: "Avgränsa",
  },
  processTerm(term) {
    remember("q", term.trim());
    return term;
  },
  processResult(result) {
    result.excerpt = cleanExcerpt(result.excerpt);
    return result;
  },
});

/* The same search again (the UI searches when its facet selection is set). */
const searchAgain = () => ui.triggerFilters(engine.currentFilters());

sort?.addEventListener("change", () => {
  engine.setSort(sort.value);
  remember("ordning", sort.value);
  searchAgain();
});

facets?.addEventListener("click", async () => {
  facets.disabled = true;
  await engine.loadFacets();
  facets.hidden = true;
  searchAgain();
});

if (query) ui.triggerSearch(query);
