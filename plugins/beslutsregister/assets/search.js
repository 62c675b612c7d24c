/* The search page (sok/): Pagefind's Default UI, in Swedish, over the register's search
 * (./pagefind.js: diary numbers, OR facets, date sort), with the query and the sort
 * order kept in the address so a result's back button returns to the same list. */
import * as engine from "./pagefind.js";

const params = new URLSearchParams(location.search);
const query = (params.get("q") || "").trim();
const sort = document.getElementById("br-sort");

function remember(name, value) {
  const url = new URL(location.href);
  if (value) url.searchParams.set(name, value);
  else url.searchParams.delete(name);
  history.replaceState(history.state, "", url);
}

/* The diary-number keys (dnr…) are indexed text, not something to show in an excerpt. */
function cleanExcerpt(excerpt) {
  return String(excerpt || "").replace(
    /(?:<mark>)?dnr[\p{L}\p{N}]*[0-9][\p{L}\p{N}]*\.?(?:<\/mark>)?\s*/gu,
    "",
  );
}

engine.setSort(params.get("ordning") || "");
if (sort) {
  sort.value = params.get("ordning") === engine.SORT_DATE ? engine.SORT_DATE : "";
  sort.closest("[hidden]")?.removeAttribute("hidden");
}

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

sort?.addEventListener("change", () => {
  engine.setSort(sort.value);
  remember("ordning", sort.value);
  ui.triggerFilters(engine.currentFilters()); // the same search again, in the new order
});

if (query) ui.triggerSearch(query);
