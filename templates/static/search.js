// The search page: name screening first (screening.js, on the index search/names.json, loaded
// when the reader starts typing), then the pages whose text mentions the words (Pagefind).
// Batch screening reads a CSV file in the page; nothing is sent anywhere.
// Results are built with DOM methods only: no markup from the index is ever inserted.

const form = document.querySelector("[data-search]");
const text = form ? form.dataset : {};
// Types, statuses, countries and authorities in words (the index holds codes); JSON written by
// Jinja's tojson, in a single-quoted attribute (it escapes ' < > &).
const labels = JSON.parse(text.labels || "{}");
const lang = document.documentElement.lang || "en";
let screenerPromise = null;

// The screener runs in a worker (screening-worker.js), so that loading the index never holds
// up the page: ``screen(queries, threshold)`` answers with the matches of each query.
function loadScreener() {
  if (!screenerPromise) {
    // Resolved against the page, not this script, so that the site works under any base path.
    const root = new URL(text.root, document.baseURI);
    const start = {
      module: new URL(text.screening, document.baseURI).href,
      index: new URL("search/names.json", root).href,
    };
    screenerPromise = new Promise((resolve, reject) => {
      const worker = new Worker(new URL(text.worker, document.baseURI), { type: "module" });
      const waiting = new Map();
      let next = 0;
      const screen = (queries, threshold) =>
        new Promise((answer) => {
          next += 1;
          waiting.set(next, answer);
          worker.postMessage({ id: next, queries, threshold });
        });
      worker.addEventListener("message", (event) => {
        const data = event.data;
        if ("started" in data) {
          if (data.started) resolve({ rules: data.rules, screen });
          else reject(new Error(data.error));
        } else {
          waiting.get(data.id)(data.matches);
          waiting.delete(data.id);
        }
      });
      worker.addEventListener("error", (error) => reject(error));
      worker.postMessage({ start });
    });
    screenerPromise.catch(() => {
      screenerPromise = null; // tried again by the next search
    });
  }
  return screenerPromise;
}

function formatScore(score) {
  return score.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function threshold(screener) {
  const wide = document.getElementById("search-wide");
  return wide && wide.checked ? screener.rules.wide_threshold : screener.rules.threshold;
}

function span(className, content) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = content;
  return element;
}

function facts(entry) {
  const parts = [labels.type?.[entry.type] ?? entry.type];
  if (entry.born.length) parts.push(`${text.born} ${entry.born.join(", ")}`);
  if (entry.nationality.length) {
    parts.push(entry.nationality.map((code) => labels.country?.[code] ?? code).join(", "));
  }
  const by = entry.authorities.map((code) => labels.authority?.[code] ?? code).join(", ");
  parts.push(`${text.by} ${by}`);
  parts.push(labels.status?.[entry.status] ?? entry.status);
  return parts.join(" · ");
}

function subjectLink(entry) {
  const link = document.createElement("a");
  link.href = new URL(`${entry.id}/`, new URL(text.subjects, document.baseURI)).href;
  link.textContent = entry.name;
  return link;
}

function renderMatches(list, matches) {
  list.replaceChildren();
  for (const match of matches) {
    const item = document.createElement("li");
    item.className = `candidate band-${match.band}`;
    const head = document.createElement("p");
    head.append(
      subjectLink(match.entry),
      " ",
      span(`band band-${match.band}`, text[`band${match.band[0].toUpperCase()}${match.band.slice(1)}`]),
      " ",
      span("score", `${text.score} ${formatScore(match.score)}`),
    );
    item.append(head);
    if (match.matched !== match.entry.name) {
      const matched = match.by === "identifier" ? text.matchedIdentifier : text.matchedName;
      item.append(span("note matched", `${matched} ${match.matched}`));
      item.append(document.createElement("br"));
    }
    item.append(span("note", facts(match.entry)));
    list.append(item);
  }
}

// A country's name is not a subject's: point to the list's country filter instead.
function countryHint(query) {
  const hint = document.getElementById("search-hint");
  const link = document.getElementById("search-country");
  const fold = (value) => value.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().trim();
  const wanted = fold(query);
  const found = Object.entries(labels.country ?? {}).find(([, name]) => fold(name) === wanted);
  hint.hidden = !found;
  if (found) {
    link.href = new URL(text.browse.replace("{code}", found[0].toLowerCase()), document.baseURI).href;
    link.textContent = text.country.replace("{country}", found[1]);
  }
}

async function screen(query, submitted = false) {
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  countryHint(query);
  if (!query.trim()) {
    list.replaceChildren();
    status.textContent = submitted ? text.empty : "";
    status.dataset.state = "done";
    return;
  }
  status.textContent = text.loading;
  status.dataset.state = "loading";
  let screener;
  try {
    screener = await loadScreener();
  } catch {
    status.textContent = text.failed;
    status.dataset.state = "failed";
    return;
  }
  const limit = threshold(screener);
  const [matches] = await screener.screen([query], limit);
  status.dataset.state = "done";
  renderMatches(list, matches);
  status.textContent = matches.length === 0
    ? text.none.replace("{query}", query.trim()).replace("{threshold}", formatScore(limit))
    : matches.length === 1 ? text.one : text.many.replace("{count}", String(matches.length));
  searchText(query);
}

let pagefindPromise = null;

// Pagefind, started once: a search typed while it loads waits for the same start (it used to
// search before the base path was set); a failed start is tried again by the next search.
function loadPagefind() {
  if (!pagefindPromise) {
    pagefindPromise = (async () => {
      const base = new URL(text.root + "pagefind/", document.baseURI).href;
      const pagefind = await import(base + "pagefind.js");
      await pagefind.options({ basePath: base });
      pagefind.init();
      // A large list's index comes in parts, merged into the main one; each part also holds a
      // page of every word of the index, which searches leave out (generator/search.py).
      const parts = (text.parts || "").split(" ").filter(Boolean);
      await Promise.all(parts.map((part) =>
        pagefind.mergeIndex(new URL(text.root + part, document.baseURI).href)));
      return { pagefind, parts: parts.length };
    })();
    pagefindPromise.catch(() => { pagefindPromise = null; });
  }
  return pagefindPromise;
}

async function searchText(query) {
  const section = document.getElementById("text-search");
  const list = document.getElementById("text-results");
  try {
    const { pagefind, parts } = await loadPagefind();
    const search = await pagefind.search(query);
    // The parts' word lists score 0 (generator/search.py): never a result.
    const results = parts ? search.results.filter((result) => result.score > 0) : search.results;
    const items = await Promise.all(results.slice(0, 10).map((result) => result.data()));
    list.replaceChildren();
    for (const item of items) {
      const entry = document.createElement("li");
      const link = document.createElement("a");
      // The subject page's address: Pagefind indexed a scratch page standing for it.
      const address = item.meta.url || item.url;
      link.href = new URL(address.replace(/^\//, ""), new URL(text.root, document.baseURI)).href;
      link.textContent = item.meta.title;
      entry.append(link);
      list.append(entry);
    }
    section.hidden = items.length === 0;
  } catch {
    section.hidden = true; // full-text search is an extra: screening does not depend on it
  }
}

// Batch screening: a CSV of names, screened in the page, the results saved as CSV.

export function parseCsv(content) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < content.length; i++) {
    const char = content[i];
    if (quoted) {
      if (char === '"' && content[i + 1] === '"') { cell += '"'; i++; }
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") { row.push(cell); cell = ""; }
    else if (char === "\n" || char === "\r") {
      if (char === "\r" && content[i + 1] === "\n") i++;
      row.push(cell); rows.push(row); row = []; cell = "";
    } else cell += char;
  }
  if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((cells) => cells.some((value) => value.trim() !== ""));
}

export function namesOf(content) {
  const rows = parseCsv(content.replace(/^\uFEFF/, ""));
  if (!rows.length) return [];
  const header = rows[0].map((cell) => cell.trim().toLowerCase());
  const column = header.includes("name") ? header.indexOf("name") : 0;
  const body = header.includes("name") ? rows.slice(1) : rows;
  return body.map((cells) => (cells[column] ?? "").trim()).filter((name) => name !== "");
}

function csvCell(value) {
  let cell = String(value ?? "");
  if (/^[=+\-@\t\r]/.test(cell)) cell = "'" + cell; // never a formula in a spreadsheet
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

const COLUMNS = ["query", "rank", "band", "score", "id", "name", "matched", "matched_by", "type",
  "born", "nationality", "authorities", "status", "url"];

function resultRows(query, matches) {
  if (!matches.length) return [{ query, band: "none" }];
  return matches.map((match, index) => ({
    query,
    rank: index + 1,
    band: match.band,
    score: match.score.toFixed(3),
    id: match.entry.id,
    name: match.entry.name,
    matched: match.matched,
    matched_by: match.by,
    type: match.entry.type,
    born: match.entry.born.join("; "),
    nationality: match.entry.nationality.join("; "),
    authorities: match.entry.authorities.join("; "),
    status: match.entry.status,
    url: new URL(`${match.entry.id}/`, new URL(text.subjects, document.baseURI)).href,
  }));
}

async function screenFile(file) {
  const status = document.getElementById("batch-status");
  const rows = document.getElementById("batch-rows");
  const output = document.getElementById("batch-output");
  const download = document.getElementById("batch-download");
  status.textContent = text.loading;
  const names = namesOf(await file.text());
  let screener;
  try {
    screener = await loadScreener();
  } catch {
    status.textContent = text.failed;
    return;
  }
  if (!names.length) {
    status.textContent = text.batchEmpty;
    output.hidden = download.hidden = true;
    return;
  }
  const limit = threshold(screener);
  const lines = [COLUMNS.join(",")];
  rows.replaceChildren();
  let hits = 0;
  const found = await screener.screen(names, limit);
  for (const [number, name] of names.entries()) {
    const matches = found[number];
    if (matches.length) hits += 1;
    for (const row of resultRows(name, matches)) {
      lines.push(COLUMNS.map((column) => csvCell(row[column])).join(","));
    }
    const tr = document.createElement("tr");
    const best = matches[0];
    const cells = [name, best ? best.entry.name : "—",
      best ? text[`band${best.band[0].toUpperCase()}${best.band.slice(1)}`] : "—",
      best ? formatScore(best.score) : "—", String(matches.length)];
    cells.forEach((value, index) => {
      const cell = document.createElement(index === 0 ? "th" : "td");
      if (index === 0) cell.scope = "row";
      if (index === 1 && best) cell.append(subjectLink(best.entry));
      else cell.textContent = value;
      tr.append(cell);
    });
    rows.append(tr);
  }
  output.hidden = false;
  if (download.href.startsWith("blob:")) URL.revokeObjectURL(download.href);
  download.href = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/csv" }));
  download.hidden = false;
  status.textContent = text.batchDone.replace("{names}", String(names.length))
    .replace("{hits}", String(hits));
}

function main() {
  if (!form) return;
  const input = form.querySelector("input[type=search]");
  const wide = document.getElementById("search-wide");
  const fileInput = document.getElementById("batch-file");
  input.addEventListener("focus", () => loadScreener().catch(() => {}), { once: true });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    if (wide.checked) url.searchParams.set("wide", "1"); else url.searchParams.delete("wide");
    history.replaceState(null, "", url);
    screen(input.value, true);
  });
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => screen(input.value), 150);
  });
  wide.addEventListener("change", () => screen(input.value));
  fileInput.addEventListener("change", () => {
    if (fileInput.files.length) screenFile(fileInput.files[0]);
  });
  const params = new URL(window.location.href).searchParams;
  if (params.get("wide") === "1") wide.checked = true;
  const initial = params.get("q");
  if (initial) { input.value = initial; screen(initial); }
  input.focus();
}

main();
