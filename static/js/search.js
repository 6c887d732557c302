// Search page: runs the query from ?q= against the Pagefind index shipped in pagefind/.
// The form is a plain GET form, so submitting it reloads this page with the new query.

const form = document.querySelector("[data-search-form]");
const input = form.querySelector("input[name=q]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
// The page's strings, in its language (data-messages, from the theme catalog); English when absent.
const messages = {
  searching: "Searching…",
  unavailable: "Search is not available here: the site must be served over HTTP with its search index.",
  found: { one: "%(num)s result for “%(query)s”", other: "%(num)s results for “%(query)s”" },
  none: "No results for “%(query)s”.",
  plurals: "en",
  ...JSON.parse(form.dataset.messages || "{}"),
};
const plurals = new Intl.PluralRules(messages.plurals);
const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

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

async function search(query) {
  status.textContent = messages.searching;
  let pagefind;
  try {
    pagefind = await import(new URL(form.dataset.index, document.baseURI).href);
  } catch {
    status.textContent = messages.unavailable;
    return;
  }
  const found = await pagefind.search(query);
  const results = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  list.replaceChildren(...results.map(resultItem));
  const count = found.results.length;
  const phrase = messages.found[plurals.select(count)] || messages.found.other;
  status.textContent = fill(count ? phrase : messages.none, { num: numbers.format(count), query });
}

const query = new URLSearchParams(window.location.search).get("q")?.trim();
if (query) {
  input.value = query;
  document.title = `${query} — ${document.title}`;
  search(query);
}
