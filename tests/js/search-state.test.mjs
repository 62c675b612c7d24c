/* search-state.js: what the search page keeps in its address and shows (excerpts, the
 * status line, a result's facts, facet check boxes), without a page. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  describe as status, excerpt, facetOptions, pruneChoices, readState, resultView, setChoice,
  stateAddress,
} from "../../plugins/beslutsregister/search/assets/search-state.js";

const PAGE = "https://register.example/sok/";
const sets = (chosen) => Object.fromEntries(
  Object.entries(chosen).map(([name, values]) => [name, new Set(values)]));
const plain = (chosen) => Object.fromEntries(
  Object.entries(chosen).map(([name, values]) => [name, [...values]]));

// -- the address --------------------------------------------------------------------------

describe("the search an address asks for", () => {
  const table = [
    ["", { query: "", sort: "", chosen: {} }],
    ["?q=%20samverkan%20", { query: "samverkan", sort: "", chosen: {} }],
    ["?q=RUN%2F138%2F2024&ordning=datum", { query: "RUN/138/2024", sort: "datum", chosen: {} }],
    ["?q=x&ordning=relevans", { query: "x", sort: "", chosen: {} }], // unknown: best first
    ["?q=vätgas+och+energi&f.%C3%85r=2023&f.%C3%85r=2022&f.Enhet=Kultur+och+bildning&utm=a",
      { query: "vätgas och energi", sort: "",
        chosen: { År: ["2023", "2022"], Enhet: ["Kultur och bildning"] } }],
  ];
  for (const [search, { query, sort, chosen }] of table) {
    it(`reads ${JSON.stringify(search)}`, () => {
      const state = readState(search);
      assert.deepEqual({ ...state, chosen: plain(state.chosen) }, { query, sort, chosen });
    });
  }
});

describe("the address of a search", () => {
  it("holds the query, the order and each chosen value, and keeps what else it had", () => {
    const url = stateAddress(`${PAGE}?q=gammal&f.%C3%85r=2020&utm=nyhetsbrev#resultat`, {
      query: "vätgas & energi", sort: "datum",
      chosen: sets({ År: ["2023", "2022"], Enhet: ["Kultur och bildning"] }),
    });
    assert.equal(url.pathname, "/sok/");
    assert.equal(url.hash, "#resultat");
    assert.deepEqual([...url.searchParams], [
      ["q", "vätgas & energi"], ["utm", "nyhetsbrev"], ["ordning", "datum"],
      ["f.År", "2023"], ["f.År", "2022"], ["f.Enhet", "Kultur och bildning"]]);
  });

  it("leaves out an empty query and the default order", () => {
    const url = stateAddress(`${PAGE}?q=x&ordning=datum&f.Enhet=Kultur`,
      { query: "", sort: "", chosen: {} });
    assert.equal(url.href, PAGE);
  });

  const states = [
    { query: "samverkan", sort: "", chosen: {} },
    { query: "a&b=c+d #e ö", sort: "datum", chosen: { "År": ["2021"] } },
    { query: "RUN/138/2024", sort: "", chosen: { Program: ["REACT-EU", "Egen finansiering"],
                                                 Enhet: ["Kultur & fritid"] } },
  ];
  for (const state of states) {
    it(`brings ${JSON.stringify(state.query)} back as it was (a back button)`, () => {
      const url = stateAddress(PAGE, { ...state, chosen: sets(state.chosen) });
      const back = readState(url.search);
      assert.deepEqual({ ...back, chosen: plain(back.chosen) }, state);
    });
  }
});

// -- facets -------------------------------------------------------------------------------

describe("choosing facet values", () => {
  it("adds a value, and drops a facet whose last value is unchosen", () => {
    const before = sets({ År: ["2023"] });
    const more = setChoice(before, "Enhet", "Kultur", true);
    assert.deepEqual(plain(more), { År: ["2023"], Enhet: ["Kultur"] });
    const fewer = setChoice(more, "År", "2023", false);
    assert.deepEqual(plain(fewer), { Enhet: ["Kultur"] });
    const address = stateAddress(PAGE, { query: "x", sort: "", chosen: fewer });
    assert.deepEqual([...address.searchParams.keys()], ["q", "f.Enhet"]);
    assert.deepEqual(plain(before), { År: ["2023"] }); // the old state is left as it was
  });

  it("forgets values an old address names that the register no longer has", () => {
    const facets = [{ name: "År", values: ["2024", "2023"] },
                    { name: "Enhet", values: ["Kollektivtrafik"] }];
    const chosen = sets({ År: ["2023", "1999"], Enhet: ["Nedlagd enhet"] });
    assert.deepEqual(plain(pruneChoices(chosen, facets)), { År: ["2023"] });
  });

  it("shows a value with results, or chosen, with its count", () => {
    const facet = { name: "År", values: ["2024", "2023", "2022", "2021"] };
    const counts = { År: new Map([["2024", 3], ["2023", 0], ["2022", 1_435], ["2021", 0]]) };
    assert.deepEqual(facetOptions(facet, counts, sets({ År: ["2021"] })), [
      { value: "2024", count: 3, checked: false },
      { value: "2022", count: 1_435, checked: false },
      { value: "2021", count: 0, checked: true }, // chosen: it can be unchosen
    ]);
  });
});

// -- what a result shows ------------------------------------------------------------------

describe("the status line", () => {
  const table = [
    [0, "Sökningen på ”vätgas” gav inga träffar."],
    [1, "Sökningen på ”vätgas” gav 1 träff."],
    [2, "Sökningen på ”vätgas” gav 2 träffar."],
    [1_435, "Sökningen på ”vätgas” gav 1\u00a0435 träffar."], // Swedish: a no-break space
  ];
  for (const [count, text] of table) {
    it(`says ${JSON.stringify(text)}`, () => assert.equal(status("vätgas", count), text));
  }
});

describe("a result", () => {
  const fragment = { u: "beslut/run-138-2024/", t: "<img src=x onerror=alert(1)> injektion",
                     n: "RUN/138/2024", d: "23 februari 2024", e: "Samhällsutveckling" };

  it("links to its case from the site's root, wherever the site is", () => {
    assert.equal(resultView(fragment, "https://register.example/").href, "/beslut/run-138-2024/");
    assert.equal(resultView(fragment, "https://example.se/register/").href,
      "/register/beslut/run-138-2024/");
    assert.equal(resultView({ ...fragment, u: "beslut/run-138-2024.html" },
      "https://example.se/").href, "/beslut/run-138-2024.html");
  });

  it("shows its title as written, and its diary number, date and unit", () => {
    const view = resultView(fragment, "https://register.example/");
    assert.equal(view.title, "<img src=x onerror=alert(1)> injektion");
    assert.deepEqual(view.facts.map(({ label, value }) => `${label}: ${value}`), [
      "Diarienummer: RUN/138/2024", "Beslutsdatum: 23 februari 2024",
      "Enhet: Samhällsutveckling"]);
  });
});

describe("an excerpt", () => {
  const shown = (parts) => parts.map(({ text, mark }) => (mark ? `[${text}]` : text)).join("");

  it("marks the words found, as written, whole words only", () => {
    const parts = excerpt("Samverkan om besöksnäring: samverkansavtal och samverkan.",
      ["samverkan", "besöksnäring"]);
    assert.equal(shown(parts),
      "[Samverkan] om [besöksnäring]: samverkansavtal och [samverkan].");
    assert.deepEqual(parts.slice(0, 2), [{ text: "Samverkan", mark: true },
                                         { text: " om ", mark: false }]);
  });

  it("shows the text from its start when nothing is found in it", () => {
    assert.equal(shown(excerpt("Beslutet fattas.", [])), "Beslutet fattas.");
    assert.equal(shown(excerpt("Beslutet fattas.", ["vätgas"])), "Beslutet fattas.");
  });

  it("shows the stretch around the first word found, cut between words", () => {
    const before = Array.from({ length: 40 }, (_, i) => `ord${i}`).join(" ");
    const after = Array.from({ length: 60 }, (_, i) => `text${i}`).join(" ");
    const text = `${before} vätgas ${after} vätgas`;
    const words = shown(excerpt(text, ["vätgas"])).split(" ");
    assert.equal(words[0], "…");
    assert.match(words[1], /^ord\d+$/); // a whole word
    assert.ok(words.includes("[vätgas]"));
    assert.equal(words.at(-1), "…");
    assert.match(words.at(-2), /^text\d+$/);
    const length = shown(excerpt(text, ["vätgas"])).length;
    assert.ok(length > 200 && length < 320, length);
  });

  it("has no ellipsis at the start when the word is near it", () => {
    const text = `Vätgas i Åre. ${"Mer text. ".repeat(40)}`;
    const parts = excerpt(text, ["vätgas"]);
    assert.deepEqual(parts[0], { text: "Vätgas", mark: true });
    assert.ok(parts.at(-1).text.endsWith(" …"));
  });

  it("marks numbers, but not a single digit", () => {
    assert.equal(shown(excerpt("Beslut 7 av 2024, punkt 7.", ["7", "2024"])),
      "Beslut 7 av [2024], punkt 7.");
  });
});
