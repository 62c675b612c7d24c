/* Searches an index on disk with search-engine.js, for test_search_node.py (Python writes
 * the index, this reads it as the browser would, Python checks the answers).
 *
 *   node tests/js/query-index.mjs INDEX_FOLDER < requests.json
 *
 * requests: `{ "words": [word, ...], "queries": [{ "query", "prefix", "sort", "chosen":
 * { facet: [values] } }, ...] }`. Prints `{ "words": { word: [urls] }, "queries":
 * [{ "urls", "scores", "forms", "counts": { facet: { value: count } } }, ...] }`: the URLs
 * in the order a reader sees them. Not a test file: `node --test tests/js/` runs
 * *.test.mjs only. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { SearchIndex, refine } from "../../plugins/beslutsregister/search/assets/search-engine.js";
import { diskFetch } from "./memory-index.mjs";

const [folder] = process.argv.slice(2);
if (!folder) throw new Error("usage: node query-index.mjs INDEX_FOLDER < requests.json");
const base = pathToFileURL(resolve(folder) + "/");
const index = new SearchIndex(base, { fetch: diskFetch });
const requests = JSON.parse(readFileSync(0, "utf8")); // standard input
const url = async (doc) => (await index.fragment(doc)).u;

const words = {};
for (const word of requests.words || []) {
  words[word] = await Promise.all([...(await index.match(word)).docs].map(url));
}
const queries = [];
for (const { query, prefix = false, sort = "", chosen = {} } of requests.queries || []) {
  const match = await index.match(query, { prefix });
  const sets = Object.fromEntries(Object.entries(chosen).map(([n, v]) => [n, new Set(v)]));
  const { docs, counts } = refine(match, await index.facets(), sets, sort);
  const score = new Map([...match.docs].map((doc, i) => [doc, match.scores[i]]));
  queries.push({
    urls: await Promise.all(docs.map(url)),
    scores: docs.map((doc) => score.get(doc)),
    forms: match.forms,
    counts: Object.fromEntries(Object.entries(counts).map(([n, m]) => [n, Object.fromEntries(m)])),
  });
}
process.stdout.write(JSON.stringify({ words, queries }));
