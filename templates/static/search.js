// Search enhancement for /<lang>/search/: queries the Pagefind index of the page's language.
// The index holds every name with its variants (see generator/search.py); the query is
// expanded the same way here (script transliterated to Latin, accents and case folded,
// doubled letters collapsed), each variant is searched, and the results are merged.
// Results are built with DOM methods only: no markup from the index is ever inserted.

const CYRILLIC = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y",
  к: "k", л: "l", м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f",
  х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu",
  я: "ya", і: "i", ї: "yi", є: "ye", ґ: "g",
};

function fold(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

function transliterate(text) {
  return [...text.toLowerCase()].map((c) => (c in CYRILLIC ? CYRILLIC[c] : c)).join("");
}

function variants(query) {
  const folded = fold(query);
  const latin = fold(transliterate(query));
  const found = new Set();
  for (const text of [folded, latin]) {
    if (!text) continue;
    found.add(text);
    found.add(text.replace(/(\p{L})\1+/gu, "$1"));
    found.add(text.split(" ").filter((w) => !["al", "el", "ul"].includes(w)).join(" "));
  }
  return [...found].filter((text) => text.length >= 2);
}

function render(list, status, form, items) {
  list.replaceChildren();
  for (const item of items) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = form.dataset.root + item.url.replace(/^\//, "");
    link.textContent = item.meta.title;
    const details = document.createElement("span");
    details.className = "note";
    details.textContent = ` ${item.meta.type} · ${item.meta.authorities} · ${item.meta.status}`;
    li.append(link, details);
    list.append(li);
  }
  const count = items.length;
  status.textContent = count === 0 ? form.dataset.none
    : count === 1 ? form.dataset.one : form.dataset.many.replace("{count}", String(count));
}

async function main() {
  const form = document.querySelector("[data-search]");
  if (!form) return;
  const input = form.querySelector("input[type=search]");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  // Resolved against the page, not this script, so that the site works under any base path.
  const base = new URL(form.dataset.root + "pagefind/", document.baseURI).href;
  const pagefind = await import(base + "pagefind.js");
  await pagefind.options({ basePath: base });
  pagefind.init();

  async function run(query) {
    if (!query.trim()) { list.replaceChildren(); status.textContent = ""; return; }
    const seen = new Map();
    for (const variant of variants(query)) {
      const search = await pagefind.search(variant);
      for (const result of search.results.slice(0, 50)) {
        if (!seen.has(result.id)) seen.set(result.id, result);
      }
    }
    const items = await Promise.all([...seen.values()].slice(0, 50).map((r) => r.data()));
    render(list, status, form, items);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    run(input.value);
  });
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 200);
  });
  const initial = new URL(window.location.href).searchParams.get("q");
  if (initial) { input.value = initial; run(initial); }
}

main();
