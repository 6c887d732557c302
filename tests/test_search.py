"""The search index: shards by language and month, rebuilt only where stories changed, equal to a fresh index.

An incremental index must answer as the index a from-scratch build makes: the property test
applies random edit sequences (fixed seeds) to a small site, builds after each step with the cache
a user's builds keep, and compares ``output/pagefind/`` with a fresh build's (Pagefind writes the
same bytes for the same documents, so equal files are equal search results). Every shard is
compared byte for byte, except a month shard holding an amended story's old record: there, what a
search can return is compared, every page's fragment by URL, leaving out the superseded ones.
What a reader finds through the search page is checked in ``test_search_browser.py``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import shutil
from collections.abc import Collection
from pathlib import Path

import pytest
from sitekit import article, build, options, run_cli, tree, write_files

from broadsheet.build import Builder
from broadsheet.outputs import search as search_stage
from broadsheet.outputs import search_state
from broadsheet.outputs.search_state import read_fragment

WORDS = ["harbour", "ferry", "council", "budget", "school", "river", "market", "festival", "bridge", "tram"]
AUTHORS = ["Lin Xiao", "Daniel Okafor", "Ama Mensah"]



def searchable(folder: Path, loose: Collection[str] | None = None) -> dict[str, object]:
    """An index as what searches read from it, per shard, independent of the order Pagefind writes things in.

    With ``loose`` (shards), those shards and the amendments shards are left out, and the listing's
    amendments with them; every page's current fragment is compared instead, by URL (``fragments``).

    Pagefind writes the same word index (``index/*.pf_index``) and page fragments for the same
    documents, byte for byte; its filter files hold the same entries but in hash-map order, so
    their names (content hashes) differ too, and with them the metadata file that names them and
    the entry file that names that. Filter files are compared as sorted bytes, and their names
    inside the metadata replaced by a digest of those sorted bytes.
    """
    files = tree(folder)
    if loose is not None:
        skipped = set(loose) | {name.split("/")[0] for name in files if name.split("/")[0].endswith("-amended")}
        files = {name: data for name, data in files.items() if name.split("/")[0] not in skipped}
    out: dict[str, object] = {}
    canonical: dict[str, bytes] = {}
    for name, data in files.items():
        if name.endswith(".pf_filter"):
            stem = name.rsplit("/", 1)[1].removesuffix(".pf_filter")
            ordered = bytes(sorted(gzip.decompress(data)))
            canonical[stem] = hashlib.sha256(ordered).hexdigest()[: len(stem)].encode()
            out.setdefault(name.split("/")[0] + "/filters", []).append(ordered)  # type: ignore[union-attr]
    for name, data in files.items():
        shard, _, rest = name.partition("/")
        if rest.endswith(".pf_meta"):
            meta = gzip.decompress(data)
            for stem, stand_in in canonical.items():
                meta = meta.replace(stem.encode(), stand_in)
            out[f"{shard}/meta"] = bytes(sorted(meta))
        elif name == "shards.json":  # its cache tag digests the shards' records, which name their files' paths
            listing = json.loads(data)
            listing.pop("tag")
            if loose is not None:
                listing.pop("superseded")
                listing["shards"] = [s for s in listing["shards"] if not s["path"].endswith("-amended/")]
            out[name] = listing
        elif rest == "pagefind-entry.json":
            entry = json.loads(data)
            for language in entry["languages"].values():
                language.pop("hash")
            out[name] = entry
        elif not rest.endswith(".pf_filter"):
            out[name] = data
    if loose is not None:
        out["fragments"] = {url: {**data, "meta": {k: v for k, v in data["meta"].items() if k != "amended"}}
                            for url, data in fragments(folder).items()}
    return {name: sorted(value) if isinstance(value, list) else value for name, value in out.items()}


def superseded(index: Path) -> set[str]:
    """The fragment ids the listing names as superseded by amendments."""
    return set(json.loads((index / "shards.json").read_text(encoding="utf-8")).get("superseded", []))


def fragments(index: Path) -> dict[str, dict]:
    """Every indexed page's current fragment (URL, text, filters, meta), by URL: the superseded ones left out.

    Checks that each URL has exactly one, and that each superseded fragment is in a month shard and
    its story's current one in the amendments shard of its language.
    """
    out: dict[str, dict] = {}
    gone = superseded(index)
    amended: dict[str, str] = {}
    for path in sorted(index.glob("*/fragment/*.pf_fragment")):
        data = read_fragment(path)
        shard, fragment = path.parts[-3], path.name.removesuffix(".pf_fragment")
        assert shard.endswith("-amended") == ("amended" in data["meta"]), path
        if fragment in gone:
            assert not shard.endswith("-amended"), path
            amended[data["url"]] = shard.split("-")[0]
            continue
        assert data["url"] not in out, f"two current fragments for {data['url']}"
        out[data["url"]] = data
    found = {path.name.removesuffix(".pf_fragment") for path in index.glob("*/fragment/*.pf_fragment")}
    assert gone <= found, f"superseded fragments not in the index: {sorted(gone - found)}"
    in_amendments = {data["url"] for data in out.values() if "amended" in data["meta"]}
    assert in_amendments == set(amended), "the amendments shards hold exactly the superseded stories"
    return out


def amended_shards(index: Path) -> set[str]:
    """The month shards holding a superseded fragment."""
    gone = superseded(index)
    return {path.parts[-3] for path in index.glob("*/fragment/*.pf_fragment") if path.name.removesuffix(".pf_fragment") in gone}


def same_as_fresh(site: Path, scratch: Path) -> tuple[dict[str, object], dict[str, object]]:
    """The site's index and a fresh build's, each as ``searchable`` reads it, amended month shards compared by their fragments."""
    index = site / "output" / "pagefind"
    fresh = fresh_index(site, scratch)
    loose = amended_shards(index)
    return searchable(index, loose), searchable(fresh, loose)


def story(rng: random.Random, n: int, month: int) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(12)) + f" unique{n}x.\n"
    return article(body, title=f"Story {n} {rng.choice(WORDS)}", date=f"2024-{month:02d}-1{n % 10}T08:00:00+00:00",
                   authors=rng.sample(AUTHORS, rng.choice([1, 2])), section=rng.choice(["City", "Business"]),
                   tags=rng.sample(WORDS, 2), slug=f"story-{n}")


def search_options(site: Path, **extra):
    return options(site, search=True, cache_dir=site / ".cache", **extra)


def fresh_index(site: Path, scratch: Path) -> Path:
    """A from-scratch build's index of the site's content."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(site / "content", scratch / "content")
    build(scratch, search=True)
    return scratch / "output" / "pagefind"


def mutate(rng: random.Random, content: Path, counter: list[int]) -> str:
    """One random edit to the site's stories; its name."""
    files = sorted(content.glob("*.md"))
    op = rng.choice(["body", "title", "delete", "rename", "draft", "schedule", "add", "byline", "language", "month"])
    if op == "add" or not files:
        counter[0] += 1
        (content / f"s{counter[0]}.md").write_text(story(rng, counter[0], rng.randint(1, 4)), encoding="utf-8")
        return "add"
    path = rng.choice(files)
    text = path.read_text(encoding="utf-8")
    if op == "body":
        text += f"\nA new paragraph about the {rng.choice(WORDS)} edit{rng.randint(0, 999)}z.\n"
    elif op == "title":
        text = text.replace("title: \"Story", "title: \"Revised story", 1)
    elif op == "delete":
        path.unlink()
        return op
    elif op == "rename":
        text = text.replace("slug: \"story-", "slug: \"moved-", 1)
    elif op == "draft":
        text = text.replace("---\n", "---\ndraft: true\n", 1) if "draft: true" not in text else text.replace("draft: true\n", "")
    elif op == "schedule":  # into the future (unpublished at the build's clock), or back
        text = text.replace("date: \"2024-", "date: \"2025-", 1) if "\"2024-" in text else text.replace("date: \"2025-", "date: \"2024-", 1)
    elif op == "byline":
        text = text.replace("authors: [", f"authors: [\"{rng.choice(['Kofi Boateng', 'Mei Chen'])}\", ", 1)
    elif op == "language":
        text = text.replace("---\n", "---\nlang: \"zh-Hans\"\n", 1) if "lang:" not in text else text.replace("lang: \"zh-Hans\"\n", "")
    elif op == "month":  # moves the story to another shard
        text = re.sub(r'date: "(\d{4})-\d\d-', lambda m: f'date: "{m[1]}-{rng.randint(1, 4):02d}-', text, count=1)
    path.write_text(text, encoding="utf-8")
    return op


@pytest.mark.parametrize(("seed", "per_shard", "amend_limit"), [(1, None, None), (2, None, None), (6, None, None), (4, 2, None), (5, None, 1)])
def test_incremental_index_equals_a_fresh_one_after_random_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  seed: int, per_shard: int | None, amend_limit: int | None) -> None:
    if per_shard:  # months split into parts of two stories: moves between parts too
        monkeypatch.setattr(search_stage, "SHARD_STORIES", per_shard)
    if amend_limit:  # amendments folded back into their months at the second
        monkeypatch.setattr(search_state, "AMEND_LIMIT", amend_limit)
    rng = random.Random(seed)
    site = tmp_path / "site"
    content = site / "content"
    counter = [0]
    for _ in range(6):
        counter[0] += 1
        write_files(content, {f"s{counter[0]}.md": story(rng, counter[0], rng.randint(1, 4))})
    kept = Builder(search_options(site))  # the preview's way: one builder, its snapshot in memory
    kept.build()
    amended_steps = 0
    for step in range(6):
        done = mutate(rng, content, counter)
        if rng.random() < 0.5:
            kept.build()
        else:
            Builder(search_options(site)).build()  # the command line's way: the snapshot from disk
        got, expected = same_as_fresh(site, tmp_path / "fresh")
        amended_steps += bool(superseded(site / "output" / "pagefind"))
        assert got.keys() == expected.keys(), f"step {step} ({done}): shard files differ"
        differing = [name for name in got if got[name] != expected[name]]
        assert not differing, f"step {step} ({done}): {differing[:3]} differ"
        kept = Builder(search_options(site)) if rng.random() < 0.3 else kept
    assert amended_steps, "the sequence never left a story amended: it tests less than it says"


def test_an_edit_indexes_only_its_story_and_nothing_changed_rebuilds_nothing(tmp_path: Path) -> None:
    rng = random.Random(5)
    content = tmp_path / "content"
    write_files(content, {f"s{n}.md": story(rng, n, month) for n, month in ((1, 1), (2, 1), (3, 2), (4, 3))})
    first = Builder(search_options(tmp_path)).build()
    assert (first.search_shards, first.searchable) == (3, 4)
    before = tree(tmp_path / "output" / "pagefind")
    again = Builder(search_options(tmp_path)).build()
    assert (again.search_shards, again.searchable) == (0, 0)
    assert tree(tmp_path / "output" / "pagefind") == before
    path = content / "s3.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nThe quarry reopened.\n", encoding="utf-8")
    edited = Builder(search_options(tmp_path)).build()
    assert (edited.search_shards, edited.searchable) == (1, 1)
    after = tree(tmp_path / "output" / "pagefind")
    changed = {name.split("/")[0] for name in after.keys() | before.keys() if after.get(name) != before.get(name)}
    # The story is amended: indexed alone, its month untouched; the listing names its old fragment.
    assert changed == {"en-amended", "shards.json"}
    found = fragments(tmp_path / "output" / "pagefind")
    assert "quarry" in found["2024/02/13/story-3/"]["content"]
    assert amended_shards(tmp_path / "output" / "pagefind") == {"en-2024-02"}
    # A byline change cannot be amended (the month's filter lists would be stale): the month is
    # rebuilt, and with it the story's amendment goes.
    path.write_text(path.read_text(encoding="utf-8").replace("authors: [", 'authors: ["Mei Chen", ', 1), encoding="utf-8")
    rebuilt = Builder(search_options(tmp_path)).build()
    assert (rebuilt.search_shards, rebuilt.searchable) == (1, 1)  # the month of its one story
    assert sorted(p.name for p in (tmp_path / "output" / "pagefind").iterdir()) == [
        "en-2024-01", "en-2024-02", "en-2024-03", "shards.json"]
    assert superseded(tmp_path / "output" / "pagefind") == set()
    got, expected = same_as_fresh(tmp_path, tmp_path.parent / "fresh")
    assert got == expected


def test_amendments_past_the_limit_fold_into_the_months_holding_most(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_state, "AMEND_LIMIT", 2)
    rng = random.Random(6)
    content = tmp_path / "content"
    write_files(content, {f"s{n}.md": story(rng, n, month) for n, month in ((1, 1), (2, 1), (3, 2), (4, 3))})
    Builder(search_options(tmp_path)).build()
    index = tmp_path / "output" / "pagefind"
    months = {1: "01", 2: "01", 3: "02", 4: "03"}
    # (story corrected, shards built, stories amended after): the third correction is past the
    # limit of two, so January, which holds two of the three, is rebuilt and one is left amended.
    for step, (n, built, amended) in enumerate(((1, 1, 1), (3, 1, 2), (2, 2, 1), (4, 1, 2))):
        path = content / f"s{n}.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\nCorrection {step}q.\n", encoding="utf-8")
        report = Builder(search_options(tmp_path)).build()
        assert (report.search_shards, len(superseded(index))) == (built, amended), step
        assert f"Correction {step}q" in fragments(index)[f"2024/{months[n]}/1{n}/story-{n}/"]["content"]
        got, expected = same_as_fresh(tmp_path, tmp_path.parent / "fresh")
        assert got == expected
    assert amended_shards(index) == {"en-2024-02", "en-2024-03"}


def test_a_busy_month_is_indexed_in_parts_and_a_new_story_changes_only_the_last(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_stage, "SHARD_STORIES", 3)
    rng = random.Random(8)
    content = tmp_path / "content"
    write_files(content, {f"s{n}.md": story(rng, n, 1) for n in range(1, 8)})  # seven stories, all in January
    first = Builder(search_options(tmp_path)).build()
    index = tmp_path / "output" / "pagefind"
    listing = json.loads((index / "shards.json").read_text(encoding="utf-8"))
    assert [s["path"] for s in listing["shards"]] == ["en-2024-01/", "en-2024-01-2/", "en-2024-01-3/"]
    assert (first.search_shards, first.searchable) == (3, 7)
    by_part: dict[str, list[str]] = {}  # each part's stories' days, in publication order across parts
    for path in sorted(index.glob("*/fragment/*.pf_fragment")):
        data = read_fragment(path)
        by_part.setdefault(path.parts[-3], []).append(data["url"].split("/")[2])
    assert {part: sorted(days) for part, days in by_part.items()} == {
        "en-2024-01": ["11", "12", "13"], "en-2024-01-2": ["14", "15", "16"], "en-2024-01-3": ["17"]}
    # The newest story of the month joins its last part; nothing else is indexed again.
    (content / "s9.md").write_text(story(rng, 9, 1).replace("2024-01-19T", "2024-01-29T"), encoding="utf-8")
    added = Builder(search_options(tmp_path)).build()
    assert (added.search_shards, added.searchable) == (1, 2)
    edited = content / "s1.md"  # in the first part (the 11th)
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThe quarry reopened.\n", encoding="utf-8")
    again = Builder(search_options(tmp_path)).build()
    assert (again.search_shards, again.searchable) == (1, 1)  # amended: the story alone
    assert "quarry" in fragments(index)["2024/01/11/story-1/"]["content"]


def test_bylines_sections_and_tags_are_searchable_filters_and_language_picks_the_shard(tmp_path: Path) -> None:
    write_files(tmp_path / "content", {
        "market.md": article("The canal-side market reopens.\n", title="Market reopens", date="2024-05-02",
                             authors=["Lin Xiao", "Daniel Okafor"], section="City", tags=["retail"]),
        "tea.md": article("春茶上市，茶农在直播间里讲起了炒茶。\n", title="龙井茶农", date="2024-05-03",
                          authors=["马可"], section="Business", lang="zh-Hans"),
    })
    build(tmp_path, search=True)
    index = tmp_path / "output" / "pagefind"
    listing = json.loads((index / "shards.json").read_text(encoding="utf-8"))
    assert listing["shards"] == [{"path": "en-2024-05/", "language": "en", "edition": ""},
                                 {"path": "zh-2024-05/", "language": "zh", "edition": ""}]
    entry = json.loads((index / "zh-2024-05" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh"]
    found = fragments(index)
    market = found["2024/05/02/market/"]
    assert market["filters"] == {"author": ["Lin Xiao", "Daniel Okafor"], "section": ["City"], "tag": ["retail"]}
    assert "Lin Xiao" in market["content"] and "Daniel Okafor" in market["content"]
    assert market["meta"]["title"] == "Market reopens" and market["meta"]["section"] == "City"
    assert found["2024/05/03/tea/"]["filters"]["author"] == ["马可"]


def test_build_without_search_then_with_search_builds_the_index(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "site.toml": 'title = "Search News"\n',
        "content/market.md": article("The canal-side market reopens.\n", title="Market reopens", date="2024-05-02"),
    })
    assert run_cli("build", "-q", "--no-search", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "output" / "pagefind").exists()
    result = run_cli("build", "-q", cwd=tmp_path)  # nothing changed since: the no-change path
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "pagefind" / "shards.json").is_file()
    assert list(fragments(tmp_path / "output" / "pagefind")) == ["2024/05/02/market/"]
    # An edit built without search is indexed by the next build with search, nothing changed in between.
    story_file = tmp_path / "content" / "market.md"
    story_file.write_text(story_file.read_text(encoding="utf-8") + "\nLanterns went up.\n", encoding="utf-8")
    assert run_cli("build", "-q", "--no-search", cwd=tmp_path).returncode == 0
    assert "Lanterns" not in fragments(tmp_path / "output" / "pagefind")["2024/05/02/market/"]["content"]
    assert run_cli("build", "-q", cwd=tmp_path).returncode == 0
    assert "Lanterns" in fragments(tmp_path / "output" / "pagefind")["2024/05/02/market/"]["content"]


def test_a_lost_index_is_made_again_and_a_removed_month_goes(tmp_path: Path) -> None:
    write_files(tmp_path / "content", {
        "a.md": article("Alpha.\n", title="Alpha", date="2024-05-02"),
        "b.md": article("Beta.\n", title="Beta", date="2024-06-02"),
    })
    Builder(search_options(tmp_path)).build()
    shutil.rmtree(tmp_path / "output" / "pagefind")
    Builder(search_options(tmp_path)).build()
    assert sorted(p.name for p in (tmp_path / "output" / "pagefind").iterdir()) == ["en-2024-05", "en-2024-06", "shards.json"]
    (tmp_path / "content" / "b.md").unlink()
    Builder(search_options(tmp_path)).build()
    assert sorted(p.name for p in (tmp_path / "output" / "pagefind").iterdir()) == ["en-2024-05", "shards.json"]
    assert not list(tmp_path.glob(".output.search*"))
