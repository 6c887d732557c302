// Search page: runs the query from ?q= (and the filters from ?author=, ?section=, ?tag=) against the
// Pagefind index shipped in pagefind/. The index is in shards, one per language and month, listed in
// pagefind/shards.json (a busy month in parts): the newest shard in the page's language is loaded, the others merged into it,
// each searched in its own language. Each merged shard costs the browser a few fetches and its own
// WebAssembly instance, so a long archive is merged in two steps: the newest FIRST_SHARDS are searched
// and shown at once, the older ones merged after, and the search run again over all of them. The
// status says so meanwhile; it carries data-done once the results are final.
// A story corrected since its month was indexed is indexed again alone, in its language's amendments
// shard ("en-amended/", loaded first); the listing names the fragments its old record left in the month
// (superseded), and results never include those.
// The form is a plain GET form, so submitting it reloads this page.

const form = document.querySelector("[data-search-form]");
const input = form.querySelector("input[name=q]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const filterBox = form.querySelector("[data-search-filters]");
const FILTERS = ["section", "author", "tag"];
const params = new URLSearchParams(window.location.search);
// The page's strings, in its language (data-messages, from the theme catalog); English when absent.
const messages = {
  searching: "Searching…",
  older: "Searching older stories…",
  unavailable: "Search is not available here: the site must be served over HTTP with its search index.",
  found: { one: "%(num)s result for “%(query)s”", other: "%(num)s results for “%(query)s”" },
  none: "No results for “%(query)s”.",
  plurals: "en",
  ...JSON.parse(form.dataset.messages || "{}"),
};
const plurals = new Intl.PluralRules(messages.plurals);
const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
const FIRST_SHARDS = 12; // a year of months: what most searches on a news site look for first

function fill(text, values) {
  return text.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? values[name] : whole));
}

function resultItem(result) {
  const item = document.createElement("li");
  item.className = "search-result";
  const meta = result.meta || {};
  if (meta.section) {
    const kicker = document.createElement("p");
    kicker.className = "kicker";
    kicker.textContent = meta.section;
    item.append(kicker);
  }
  const heading = document.createElement("h2");
  heading.className = "card-title";
  const link = document.createElement("a");
  link.href = result.url;
  link.textContent = meta.title || result.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  excerpt.innerHTML = result.excerpt; // Pagefind escapes the text and adds only <mark>.
  item.append(heading, excerpt);
  if (meta.date) {
    const date = document.createElement("p");
    date.className = "meta";
    date.textContent = meta.date;
    item.append(date);
  }
  return item;
}

// "en-2024-05-2/" → [2024, 5, 2]: shards sort newest first by month and part, whatever their language.
const period = (shard) => {
  const [year, month, part = 1] = shard.path.replace(/\/$/, "").split("-").slice(1).map(Number);
  return [year, month, part];
};
const amendments = (shard) => shard.path.endsWith("-amended/");
const newestFirst = (a, b) => {
  if (amendments(a) !== amendments(b)) return amendments(a) ? -1 : 1;
  const [x, y] = [period(a), period(b)];
  return y[0] - x[0] || y[1] - x[1] || y[2] - x[2] || a.path.localeCompare(b.path);
};

async function loadIndex() {
  const listingUrl = new URL(form.dataset.index, document.baseURI);
  const listing = await (await fetch(listingUrl, { cache: "no-cache" })).json();
  // A site in several editions: each edition's search page searches the stories of its own edition.
  const edition = form.dataset.edition || "";
  const shards = (listing.shards || []).filter((shard) => (shard.edition || "") === edition);
  if (!shards.length) return null;
  shards.sort(newestFirst);
  const pageLanguage = (document.documentElement.lang || "").toLowerCase().split("-")[0];
  const primary = shards.find((shard) => shard.language === pageLanguage) || shards[0];
  const pagefind = await import(new URL(primary.path + "pagefind.js", listingUrl).href);
  // The listing's tag changes whenever a shard does, so each shard's entry file may come from the cache.
  const cacheTag = listing.tag || null;
  await pagefind.options({ excerptLength: 30, metaCacheTag: cacheTag });
  await pagefind.init();
  const merge = (some) => Promise.all(some.map((shard) =>
    pagefind.mergeIndex(new URL(shard.path, listingUrl).pathname, { language: shard.language, metaCacheTag: cacheTag })));
  const others = shards.filter((shard) => shard !== primary);
  await merge(others.slice(0, FIRST_SHARDS - 1));
  const older = others.slice(FIRST_SHARDS - 1);
  const superseded = new Set(listing.superseded || []);
  return { pagefind, superseded, older: older.length ? () => merge(older) : null };
}

function chosenFilters() {
  const chosen = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) chosen[name] = value;
  }
  return chosen;
}

async function offerFilters(pagefind, chosen) {
  if (!filterBox) return;
  const available = await pagefind.filters();
  for (const name of FILTERS) {
    const select = filterBox.querySelector(`select[name=${name}]`);
    const values = Object.keys(available[name] || {}).sort((a, b) => a.localeCompare(b));
    if (chosen[name] && !values.includes(chosen[name])) values.unshift(chosen[name]);
    for (const value of values) {
      const option = new Option(value, value, false, value === chosen[name]);
      select.append(option);
    }
    select.closest("label").hidden = values.length === 0;
  }
  filterBox.hidden = false;
}

async function show({ pagefind, superseded }, query, chosen, pending) {
  const found = await pagefind.search(query || null, { filters: chosen });
  const current = found.results.filter((result) => !superseded.has(result.id));
  const results = await Promise.all(current.slice(0, 20).map((r) => r.data()));
  list.replaceChildren(...results.map(resultItem));
  const count = current.length;
  const phrase = messages.found[plurals.select(count)] || messages.found.other;
  const shown = [query, ...Object.values(chosen)].filter(Boolean).join(" · ");
  const said = fill(count ? phrase : messages.none, { num: numbers.format(count), query: shown });
  status.textContent = pending ? `${said} ${messages.older}` : said;
}

async function search(query, chosen) {
  status.textContent = messages.searching;
  let index;
  try {
    index = await loadIndex();
  } catch {
    index = null;
  }
  if (!index) {
    status.textContent = messages.unavailable;
    status.dataset.done = "";
    return;
  }
  const { pagefind, older } = index;
  const asked = Boolean(query || Object.keys(chosen).length);
  if (asked && older) await show(index, query, chosen, true);
  if (older) {
    try {
      await older();
    } catch {
      // A shard that fails to load leaves the others searchable: the results below are theirs.
    }
  }
  await offerFilters(pagefind, chosen);
  if (asked) await show(index, query, chosen, false);
  else status.textContent = "";
  status.dataset.done = "";
}

const query = params.get("q")?.trim() || "";
const chosen = chosenFilters();
if (query) {
  input.value = query;
  document.title = `${query} — ${document.title}`;
}
search(query, chosen);
