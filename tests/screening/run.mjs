// Runs templates/static/screening.js on an index and queries, for tests/test_screening.py:
//   node run.mjs SCREENING_JS INDEX_JSON QUERIES_JSON
// prints {"tokens": {name: [tokens]}, "results": {query: [[id, band, score, matched, by]]}}.
import { readFileSync } from "node:fs";

const [script, indexPath, queriesPath] = process.argv.slice(2);
// Imported as a data: URL, always an ES module: Node before 20.19 reads a .js file outside a
// "type": "module" package as CommonJS, and the script is the browser's module as published.
const source = Buffer.from(readFileSync(script)).toString("base64");
const { Screener, tokens } = await import(`data:text/javascript;base64,${source}`);
const index = JSON.parse(readFileSync(indexPath, "utf-8"));
const { queries, threshold } = JSON.parse(readFileSync(queriesPath, "utf-8"));
const screener = new Screener(index);
const names = {};
for (const row of index.subjects) for (const name of row[7]) names[name] = tokens(name, index.rules);
for (const query of queries) names[query] = tokens(query, index.rules);
const results = {};
for (const query of queries) {
  results[query] = screener.screen(query, threshold ?? undefined)
    .map((m) => [m.entry.id, m.band, m.score, m.matched, m.by]);
}
process.stdout.write(JSON.stringify({ tokens: names, results }));
