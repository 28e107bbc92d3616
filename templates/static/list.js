// The list pages' filters, combined (partials/combine.html). Without this script, each filter
// is a link to its own pre-rendered page. With it, the form replaces those links: the chosen
// values of one filter are alternatives (Russia or Syria), different filters all apply (an
// entity of Russia), the list below shows the subjects that match, each option counts the
// subjects it would match with the other filters as they are, and the address keeps the
// choice (?type=entity&country=ru) for a link or a reload. The subjects come from
// search/listing.json, loaded when a filter is first used. Rows are built with DOM methods
// only: no markup from the listing is ever inserted.

const form = document.getElementById("combine");
const STEP = 100; // rows added at a time, as a page of the list holds
const FILTERS = ["type", "status", "authority", "country", "case"];
// Each filter's values in a row of the listing (see generator/listing_file.py).
const VALUES = {
  type: (row) => [row.type],
  status: (row) => [row.status],
  authority: (row) => row.authorities,
  country: (row) => row.countries,
  case: (row) => row.cases,
};

if (form) {
  const text = form.dataset;
  const labels = JSON.parse(text.labels || "{}");
  const links = document.querySelector("nav.filters");
  const pages = document.getElementById("list-pages");
  const combined = document.getElementById("combined");
  const status = document.getElementById("combined-count");
  const more = document.getElementById("combined-more");
  const body = combined.querySelector("tbody");
  const headers = [...combined.querySelectorAll("thead th")].map((th) => th.textContent);
  const wholeList = [...document.querySelectorAll("nav.az, main > p.count")];
  const dates = new Intl.DateTimeFormat(text.locale, { dateStyle: "long", timeZone: "UTC" });
  let listing = null;
  let matches = [];
  let shown = 0;

  const load = () => {
    if (!listing) {
      listing = fetch(new URL(text.listing, document.baseURI))
        .then((response) => {
          if (!response.ok) throw new Error(`${response.status}`);
          return response.json();
        })
        .then((data) =>
          data.subjects.map((values) =>
            Object.fromEntries(data.fields.map((name, n) => [name, values[n]])),
          ),
        );
      listing.catch(() => {
        listing = null;
      });
    }
    return listing;
  };

  const chosen = () => {
    const found = {};
    for (const name of FILTERS) {
      const values = [...form.querySelectorAll(`input[name="${name}"]:checked`)];
      if (values.length) found[name] = new Set(values.map((input) => input.value));
    }
    return found;
  };

  const passes = (row, choice, except) =>
    Object.entries(choice).every(
      ([name, values]) => name === except || VALUES[name](row).some((v) => values.has(v)),
    );

  const cell = (label, content) => {
    const td = document.createElement("td");
    td.dataset.label = label;
    td.append(content);
    return td;
  };

  const row = (subject) => {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    const link = document.createElement("a");
    link.href = `${text.subjects}${subject.id}/`;
    link.textContent = subject.name;
    th.append(link);
    const by = document.createDocumentFragment();
    subject.authorities.forEach((code, n) => {
      if (n) by.append(", ");
      const authority = document.createElement("a");
      authority.href = `${text.authorities}${code.toLowerCase()}/`;
      const abbr = document.createElement("abbr");
      abbr.title = labels.authority?.[code] ?? code;
      abbr.textContent = code;
      authority.append(abbr);
      by.append(authority);
    });
    const time = document.createElement("time");
    time.dateTime = subject.first;
    time.textContent = dates.format(new Date(`${subject.first}T00:00:00Z`));
    const badge = document.createElement("span");
    badge.className = `status status-${subject.status}`;
    badge.textContent = labels.status?.[subject.status] ?? subject.status;
    tr.append(
      th,
      cell(headers[1], labels.type?.[subject.type] ?? subject.type),
      cell(headers[2], by),
      cell(headers[3], time),
      cell(headers[4], badge),
    );
    return tr;
  };

  const showMore = () => {
    body.append(...matches.slice(shown, shown + STEP).map(row));
    shown = Math.min(shown + STEP, matches.length);
    more.hidden = shown >= matches.length;
  };

  const remember = (choice) => {
    const query = new URLSearchParams();
    for (const [name, values] of Object.entries(choice)) {
      for (const value of values) query.append(name, value);
    }
    const address = new URL(location.href);
    address.search = query.toString();
    history.replaceState(null, "", address);
  };

  // One pass over the list: each subject counts for the values it holds in every filter that
  // the other filters let it through.
  const counts = (rows, choice) => {
    const found = new Map();
    for (const subject of rows) {
      for (const name of FILTERS) {
        if (!passes(subject, choice, name)) continue;
        for (const value of VALUES[name](subject)) {
          const key = `${name}:${value}`;
          found.set(key, (found.get(key) ?? 0) + 1);
        }
      }
    }
    for (const element of form.querySelectorAll("[data-count]")) {
      const count = found.get(element.dataset.count) ?? 0;
      element.textContent = `(${count.toLocaleString(document.documentElement.lang)})`;
    }
  };

  const apply = async () => {
    const choice = chosen();
    remember(choice);
    const active = Object.keys(choice).length > 0;
    pages.hidden = active;
    combined.hidden = !active;
    wholeList.forEach((element) => {
      element.hidden = active;
    });
    let rows;
    try {
      rows = await load();
    } catch {
      status.textContent = text.failed;
      return;
    }
    counts(rows, choice);
    if (!active) return;
    matches = rows.filter((subject) => passes(subject, choice, null));
    body.replaceChildren();
    shown = 0;
    showMore();
    const count = matches.length.toLocaleString(document.documentElement.lang);
    status.textContent =
      matches.length === 0
        ? text.none
        : matches.length === 1
          ? text.one
          : text.many.replace("{count}", count);
  };

  links.hidden = true;
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("reset", () => setTimeout(apply)); // once the boxes are cleared
  form.addEventListener("submit", (event) => event.preventDefault());
  more.addEventListener("click", showMore);
  // The counts, as soon as the filters are opened.
  form.querySelector("details").addEventListener("toggle", (event) => {
    if (event.target.open) load().then((rows) => counts(rows, chosen()), () => {});
  });

  // A choice kept in the address: tick its boxes and show what it matches.
  const query = new URLSearchParams(location.search);
  let given = false;
  for (const name of FILTERS) {
    for (const value of query.getAll(name)) {
      const input = form.querySelector(`input[name="${name}"][value="${CSS.escape(value)}"]`);
      if (input) {
        input.checked = true;
        given = true;
      }
    }
  }
  if (given) {
    form.querySelector("details").open = true;
    apply();
  }
}
