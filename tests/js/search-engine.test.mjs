/* search-engine.js where it lives: what a query means (the table Python shares,
 * tests/search_cases.json), postings, looking words up, ranking, facets and reading
 * an index. The indexes here are small registers held in memory (memory-index.mjs); a
 * real one, written by Python, is test_search_node.py's. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import {
  FORMAT, SORT_DATE, STOP_WORDS, SearchIndex, decodePostings, diaryKey, normaliseQuery,
  queryWords, refine, tokens, withoutStopWords,
} from "../../plugins/beslutsregister/search/assets/search-engine.js";
import { BASE, indexFiles, serve } from "./memory-index.mjs";

const CASES = JSON.parse(readFileSync(new URL("../search_cases.json", import.meta.url), "utf8"));

// -- a small register ---------------------------------------------------------------------

/** Four decisions, newest first (a document's number is its place in this list). */
const DOCUMENTS = [
  { u: "beslut/run-138-2024/", t: "Stärka samarbeten med regioner i EU", n: "RUN/138/2024",
    d: "23 februari 2024", e: "Samhällsutveckling", x: "Regionen deltar i samverkan." },
  { u: "beslut/run-7-2023/", t: "Samverkan om besöksnäring", n: "RUN/7/2023",
    d: "2 maj 2023", e: "Kultur och bildning", x: "Samverkan om besöksnäring." },
  { u: "beslut/run-5-2023/", t: "Samverkan med regionen", n: "RUN/5/2023",
    d: "3 mars 2023", e: "Samhällsutveckling", x: "Se RUN/138/2024." },
  { u: "beslut/run-245-2021/", t: "CO-RESPONS", n: "RUN/245/2021",
    d: "1 april 2021", e: "Kollektivtrafik",
    x: "Samverkansavtal om besöksnäring, RUN/138/2024." },
];
const URLS = DOCUMENTS.map((d) => d.u);

/** Stems, their written forms and postings ([document, weight]). */
const STEMS = {
  samverk: { words: ["samverka", "samverkan"], postings: [[0, 1], [1, 10], [2, 3]] },
  samverkansavtal: { words: ["samverkansavtal"], postings: [[3, 10]] },
  besöksnär: { words: ["besöksnäring"], postings: [[1, 10], [3, 2]] },
  region: { words: ["regionen", "regioner"], postings: [[0, 10], [2, 1]] },
  eu: { words: ["eu"], postings: [[0, 10]] },
  co: { words: ["co"], postings: [[3, 10]] },
  respons: { words: ["respons"], postings: [[3, 10]] },
  och: { words: ["och"], postings: [[0, 1], [1, 1], [2, 1], [3, 1]] },
  // a case under its own diary number's keys, the pages citing it under the same keys
  run1382024: { words: ["run1382024"], postings: [[0, 200], [2, 2], [3, 2]] },
  1382024: { words: ["1382024"], postings: [[0, 200], [2, 2], [3, 2]] },
};

const FACETS = [
  { name: "År", values: [["2024", [0]], ["2023", [1, 2]], ["2021", [3]]] },
  { name: "Program", values: [["Egen finansiering", [1, 2]], ["REACT-EU", [0, 2]]] },
  { name: "Enhet", values: [["Kollektivtrafik", [3]], ["Kultur och bildning", [1]],
                            ["Samhällsutveckling", [0, 2]]] },
];

function register(options = {}, serving = {}) {
  const files = indexFiles({ documents: DOCUMENTS, stems: STEMS, facets: FACETS, ...options });
  const server = serve(files, serving);
  return { index: new SearchIndex(BASE, { fetch: server.fetch }), requests: server.requests };
}

/** The URLs a query finds, in the order shown: best match first (or `sort`), after
 * `chosen` facet values ({ name: [values] }). */
async function found(index, query, { prefix = false, sort = "", chosen = {} } = {}) {
  const match = await index.match(query, { prefix });
  const sets = Object.fromEntries(Object.entries(chosen).map(([n, v]) => [n, new Set(v)]));
  const facets = Object.keys(chosen).length ? await index.facets() : null;
  return refine(match, facets, sets, sort).docs.map((doc) => URLS[doc]);
}

/** Facet counts of a query, as plain objects: { facet: { value: count } }. */
async function counts(index, query, chosen = {}) {
  const match = await index.match(query);
  const sets = Object.fromEntries(Object.entries(chosen).map(([n, v]) => [n, new Set(v)]));
  const { counts: found } = refine(match, await index.facets(), sets, "");
  return Object.fromEntries(Object.entries(found).map(([n, m]) => [n, Object.fromEntries(m)]));
}

// -- what a query means -------------------------------------------------------------------

describe("a query, as Python reads it (tests/search_cases.json)", () => {
  for (const { query, normalised } of CASES.normalise_query) {
    it(`normalises ${JSON.stringify(query)} to ${JSON.stringify(normalised)}`, () => {
      assert.equal(normaliseQuery(query), normalised);
    });
  }
  for (const { query, kept } of CASES.without_stop_words) {
    it(`keeps ${JSON.stringify(kept)} of ${JSON.stringify(query)}`, () => {
      assert.equal(withoutStopWords(query), kept);
    });
  }
  it("drops the same stop words", () => {
    assert.deepEqual([...STOP_WORDS].sort(), [...CASES.stop_words].sort());
  });
  for (const { diary_number: number, keys } of CASES.diary_keys) {
    it(`reduces the diary number ${number} to ${keys[0]}`, () => {
      assert.equal(diaryKey(number), keys[0]);
    });
  }
  for (const { diary_number: number, typed } of CASES.loosely_typed) {
    it(`meets a key of ${number} when it is typed ${JSON.stringify(typed)}`, () => {
      const { keys } = CASES.diary_keys.find((row) => row.diary_number === number);
      assert.ok(keys.includes(normaliseQuery(typed)), normaliseQuery(typed));
    });
  }
  for (const { text, words } of CASES.tokens) {
    it(`splits ${JSON.stringify(text)} into the index's words`, () => {
      assert.deepEqual(tokens(text), words);
    });
  }
});

describe("the words a query searches for", () => {
  const table = [
    ["Stärka samarbeten med regioner i EU", ["stärka", "samarbeten", "regioner", "eu"]],
    ["EU eu Eu", ["eu"]],
    ["Dnr RUN/0138/2024 och CO-RESPONS", ["run1382024", "co", "respons"]],
    ["och i", ["och", "i"]], // nothing but stop words: searched as typed
    ["  ", []],
  ];
  for (const [query, words] of table) {
    it(`${JSON.stringify(query)}: ${words.join(", ") || "none"}`, () => {
      assert.deepEqual(queryWords(query), words);
    });
  }
});

// -- postings -----------------------------------------------------------------------------

describe("postings as index.py encodes them", () => {
  // bytes from index.py `encode_postings`: count, first document, deltas (LEB128), weights
  const table = [
    ["no documents", [0], [], []],
    ["one document", [1, 0, 5], [0], [5]],
    ["deltas of one, two and five bytes", [6, 3, 1, 1, 195, 1, 168, 161, 4, 143, 221, 251, 255,
      15, 1, 2, 3, 4, 5, 255], [3, 4, 5, 200, 70_000, 2 ** 32 - 1], [1, 2, 3, 4, 5, 255]],
  ];
  for (const [name, bytes, docs, weights] of table) {
    it(`decodes ${name}`, () => {
      const decoded = decodePostings(Uint8Array.from(bytes));
      assert.deepEqual([...decoded.docs], docs);
      assert.deepEqual([...decoded.weights], weights);
    });
  }
  it("decodes facet postings (no weights) as weight 1", () => {
    // varints 0, 1, 127, 128, 300: index.py's test_varints_are_leb128
    const decoded = decodePostings(Uint8Array.from([5, 0, 1, 127, 0x80, 1, 0xac, 2]), false);
    assert.deepEqual([...decoded.docs], [0, 1, 128, 256, 556]);
    assert.deepEqual([...decoded.weights], [1, 1, 1, 1, 1]);
  });
});

// -- reading an index ---------------------------------------------------------------------

describe("reading an index", () => {
  it("asks for the manifest fresh and for every other file by the index's version", async () => {
    const { index, requests } = register({ version: "abc123" });
    assert.deepEqual(await found(index, "besöksnäring"), [URLS[1], URLS[3]]);
    await index.fragment(1);
    assert.deepEqual(requests, ["index.json", "c/0.bin?v=abc123", "d/1.bin?v=abc123"]);
  });

  it("fetches a file once, however often it is searched", async () => {
    const { index, requests } = register();
    await found(index, "samverkan");
    await found(index, "samverkan regioner");
    await found(index, "regioner");
    assert.equal(requests.filter((r) => r.startsWith("c/")).length, 1);
  });

  it("reads a gzipped index and one a server already inflated alike", async () => {
    for (const gzip of [true, false]) {
      const { index } = register({ gzip });
      assert.deepEqual(await found(index, "samverkan"), [URLS[1], URLS[2], URLS[0]],
        `gzip ${gzip}`);
      assert.equal((await index.fragment(3)).t, "CO-RESPONS");
    }
  });

  it("refuses an index of another format", async () => {
    const { index } = register({ format: FORMAT + 1 });
    await assert.rejects(index.match("samverkan"), /search index format 2/);
  });

  it("reports a file that failed, and fetches it again on the next search", async () => {
    const { index } = register({}, { failing: ["c/0.bin"] });
    await assert.rejects(index.match("samverkan"), /c\/0\.bin: HTTP 503/);
    assert.deepEqual(await found(index, "samverkan"), [URLS[1], URLS[2], URLS[0]]);
  });

  it("gives a result's facts and text", async () => {
    const { index } = register();
    assert.deepEqual(await index.fragment(0), DOCUMENTS[0]);
  });

  it("loads facets only when they are asked for, and once", async () => {
    const { index, requests } = register();
    await found(index, "samverkan");
    assert.ok(!requests.some((r) => r.startsWith("facets.bin")));
    const facets = await index.facets();
    await index.facets();
    assert.equal(requests.filter((r) => r.startsWith("facets.bin")).length, 1);
    assert.deepEqual(facets.map((f) => [f.name, f.values]), FACETS.map(
      ({ name, values }) => [name, values.map(([v]) => v)]));
  });
});

// -- looking words up ---------------------------------------------------------------------

describe("looking words up", () => {
  it("finds every written form of a stem", async () => {
    const { index } = register();
    assert.deepEqual(await found(index, "regionen"), [URLS[0], URLS[2]]);
    assert.deepEqual(await found(index, "regioner"), [URLS[0], URLS[2]]);
  });

  it("finds, for a word that is no word of the index, the words it begins", async () => {
    const { index } = register();
    const match = await index.match("samverk");
    assert.deepEqual([...match.docs], [0, 1, 2, 3]);
    assert.deepEqual([...match.forms].sort(), ["samverka", "samverkan", "samverkansavtal"]);
  });

  it("marks the words found, not others that happen to be in the same documents", async () => {
    // co, respons and samverkansavtal: each in document 3 only, weighing 10
    const { index } = register();
    assert.deepEqual((await index.match("co")).forms, ["co"]);
    assert.deepEqual((await index.match("samverkansavtal")).forms, ["samverkansavtal"]);
    assert.deepEqual([...(await index.match("regioner")).forms].sort(), ["regionen", "regioner"]);
  });

  it("finds a whole word as typed unless it is still being typed", async () => {
    const { index } = register();
    assert.deepEqual(await found(index, "samverka"), [URLS[1], URLS[2], URLS[0]]);
    const typing = await found(index, "samverka", { prefix: true });
    assert.deepEqual(typing, [URLS[1], URLS[3], URLS[2], URLS[0]]); // + samverkansavtal
    // a space after it: the word is finished
    assert.deepEqual(await found(index, "samverka ", { prefix: true }),
      [URLS[1], URLS[2], URLS[0]]);
  });

  it("takes only the last word typed as unfinished", async () => {
    const { index } = register();
    assert.deepEqual(await found(index, "samverka besöksnäring", { prefix: true }), [URLS[1]]);
    assert.deepEqual(await found(index, "besöksnäring samverka", { prefix: true }),
      [URLS[1], URLS[3]]);
  });

  it("ranks the word itself before a word it begins, at the same weight", async () => {
    const { index } = register();
    const typing = await found(index, "samverka", { prefix: true });
    assert.ok(typing.indexOf(URLS[1]) < typing.indexOf(URLS[3])); // both weigh 10
  });

  for (const query of ["sa", "138", "2"]) {
    it(`finds nothing for ${JSON.stringify(query)}: too short or digits to be begun`,
      async () => {
        const { index } = register();
        assert.deepEqual(await found(index, query, { prefix: true }), []);
      });
  }

  for (const query of ["constructor", "__proto__", "toString", "hasOwnProperty samverkan"]) {
    it(`finds nothing, quietly, for the JavaScript name ${JSON.stringify(query)}`, async () => {
      const { index } = register();
      assert.deepEqual(await found(index, query), []);
    });
  }

  it("finds every word in whichever dictionary chunk holds it", async () => {
    const { index, requests } = register({ chunkWords: 2 });
    for (const { words, postings } of Object.values(STEMS)) {
      for (const word of words) {
        const docs = (await index.match(word)).docs;
        assert.deepEqual([...docs], postings.map(([doc]) => doc), word);
      }
    }
    assert.ok(new Set(requests.filter((r) => r.startsWith("c/"))).size >= 6);
  });

  it("finds the words a half-typed word begins across chunks", async () => {
    const { index } = register({ chunkWords: 2 });
    const match = await index.match("samverk");
    assert.deepEqual([...match.forms].sort(), ["samverka", "samverkan", "samverkansavtal"]);
    assert.deepEqual([...match.docs], [0, 1, 2, 3]);
  });

  it("lets a half-typed word stand for its 12 most frequent words", async () => {
    // projekt01 is in 1 document, projekt02 in 2 ... projekt15 in 15, no two in one
    const stems = {};
    const documents = [];
    for (let n = 1; n <= 15; n++) {
      const word = `projekt${String(n).padStart(2, "0")}`;
      const docs = Array.from({ length: n }, () => documents.push({ u: `${word}/` }) - 1);
      stems[word] = { words: [word], postings: docs.map((d) => [d, 1]) };
    }
    const index = new SearchIndex(BASE, { fetch: serve(indexFiles({ documents, stems })).fetch });
    const match = await index.match("projekt");
    assert.equal(match.docs.length, documents.length - (1 + 2 + 3)); // not projekt01 to 03
    assert.deepEqual(match.forms.length, 12);
    assert.equal((await index.match("projekt0")).docs.length, 45); // projekt01 to 09: all
  });
});

// -- ranking ------------------------------------------------------------------------------

describe("ranking", () => {
  it("puts the documents where a word weighs most first", async () => {
    const { index } = register();
    assert.deepEqual(await found(index, "samverkan"), [URLS[1], URLS[2], URLS[0]]);
  });

  it("puts the newest first among equals, and all newest first when sorted by date",
    async () => {
      const { index } = register();
      assert.deepEqual(await found(index, "och"), URLS);
      assert.deepEqual(await found(index, "samverkan", { sort: SORT_DATE }),
        [URLS[0], URLS[1], URLS[2]]);
    });

  it("finds only documents with every word", async () => {
    const { index } = register();
    assert.deepEqual(await found(index, "samverkan besöksnäring"), [URLS[1]]);
    assert.deepEqual(await found(index, "eu besöksnäring"), []);
  });

  it("lets stop words narrow nothing", async () => {
    const { index } = register();
    assert.deepEqual(await found(index, "samverkan och i regioner"),
      await found(index, "samverkan regioner"));
  });

  it("weighs a rare word above a common one", async () => {
    // "vanlig" is in every document, "ovanlig" in two; each weighs 10 in one of them
    const index = new SearchIndex(BASE, { fetch: serve(indexFiles({
      documents: [{ u: "a/" }, { u: "b/" }, { u: "c/" }, { u: "d/" }],
      stems: {
        vanlig: { words: ["vanlig"], postings: [[0, 10], [1, 1], [2, 1], [3, 1]] },
        ovanlig: { words: ["ovanlig"], postings: [[0, 1], [1, 10]] },
      },
    })).fetch });
    const match = await index.match("vanlig ovanlig");
    assert.deepEqual([...refine(match, null, {}, "").docs], [1, 0]);
  });

  for (const typed of ["run 138/2024", "RUN/0138/2024", "Dnr RUN 138 2024", "138/2024"]) {
    it(`finds a case by its diary number typed ${JSON.stringify(typed)}, then its citations`,
      async () => {
        const { index } = register();
        assert.deepEqual(await found(index, typed), [URLS[0], URLS[2], URLS[3]]);
      });
  }
});

// -- facets -------------------------------------------------------------------------------

describe("facets", () => {
  it("narrow to a chosen value", async () => {
    const { index } = register();
    assert.deepEqual(await found(index, "samverkan", { chosen: { År: ["2023"] } }),
      [URLS[1], URLS[2]]);
  });

  it("widen with a second value of the same facet (or)", async () => {
    const { index } = register();
    assert.deepEqual(await found(index, "samverkan", { chosen: { År: ["2023", "2024"] } }),
      [URLS[1], URLS[2], URLS[0]]);
  });

  it("narrow with a value of another facet (and)", async () => {
    const { index } = register();
    const chosen = { År: ["2023"], Enhet: ["Samhällsutveckling"] };
    assert.deepEqual(await found(index, "samverkan", { chosen }), [URLS[2]]);
  });

  it("keep the order chosen", async () => {
    const { index } = register();
    const chosen = { Program: ["REACT-EU", "Egen finansiering"] };
    assert.deepEqual(await found(index, "samverkan", { chosen, sort: SORT_DATE }),
      [URLS[0], URLS[1], URLS[2]]);
  });

  it("count each value's documents among the results, zero included", async () => {
    const { index } = register();
    assert.deepEqual(await counts(index, "samverkan"), {
      År: { 2024: 1, 2023: 2, 2021: 0 },
      Program: { "Egen finansiering": 2, "REACT-EU": 2 }, // one document has both
      Enhet: { Kollektivtrafik: 0, "Kultur och bildning": 1, Samhällsutveckling: 2 },
    });
  });

  it("count a facet as if none of its own values were chosen", async () => {
    const { index } = register();
    assert.deepEqual(await counts(index, "och", { År: ["2023"] }), {
      År: { 2024: 1, 2023: 2, 2021: 1 }, // what choosing another year would add
      Program: { "Egen finansiering": 2, "REACT-EU": 1 },
      Enhet: { Kollektivtrafik: 0, "Kultur och bildning": 1, Samhällsutveckling: 1 },
    });
  });

  it("leave everything when none is loaded or chosen", async () => {
    const { index } = register();
    const match = await index.match("och");
    const refined = refine(match, null, {}, SORT_DATE);
    assert.deepEqual([...refined.docs], [0, 1, 2, 3]);
    assert.deepEqual(refined.counts, {});
  });
});
