"""Front-page curation by the build clock: featured stories, section order, the breaking-news banner."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from sitekit import article, build, error_lines, options, run_cli, write_files

from broadsheet.build import Builder

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def newsroom(root: Path, **extra: dict) -> None:
    """Five stories: the newest (Nov 20) has no picture; an October one does; two are featured."""
    stories = {
        "content/latest.md": article(title="Latest", date="2026-11-20T08:00:00Z", section="News"),
        "content/pictured.md": article(title="Pictured", date="2026-10-02T08:00:00Z", section="City", image="x.png"),
        "content/chosen.md": article(title="Chosen", date="2026-11-10T08:00:00Z", section="Business",
                                     featured="lead", featured_until="2026-11-21T12:00:00Z"),
        "content/topped.md": article(title="Topped", date="2026-06-01T08:00:00Z", section="City", featured="top"),
        "content/plain.md": article(title="Plain", date="2026-11-01T08:00:00Z", section="News"),
        "static/x.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x08\x00\x00\x00\x08\x08\x02\x00\x00\x00Km)\xdc\x00\x00\x00\x14IDATx\x9cc<Q\xa1\xc1\x80\r0a\x15\x1d\xb4\x12\x00\x1e'\x01x\x06\x16\x83\xca\x00\x00\x00\x00IEND\xaeB`\x82" + b"x"  # a real PNG: the photo stage processes lead photos,
    }
    write_files(root, {**stories, **extra})


def front(root: Path, output: str = "output") -> tuple[str, list[str]]:
    """The lead's headline and the top stories' headlines, in order."""
    html = (root / output / "index.html").read_text(encoding="utf-8")
    lead = re.search(r'class="lead-story".*?card-title"><a [^>]*>([^<]+)<', html, re.S)
    top = re.search(r'class="top-stories"(.*?)</section>', html, re.S)
    assert lead and top
    return lead.group(1), re.findall(r'card-title"><a [^>]*>([^<]+)<', top.group(1))


def test_featured_lead_leads_until_its_window_ends_then_todays_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    newsroom(tmp_path)
    build(tmp_path, now=at("2026-11-20T09:00"))
    lead, top = front(tmp_path)
    assert lead == "Chosen"  # over a newer story and over the one with a picture
    assert top[:2] == ["Topped", "Latest"]  # featured: top first, however old, then the newest others
    assert "Chosen" not in top and len(top) == 4
    build(tmp_path, now=at("2026-11-21T12:00"))  # featured_until reached: the story no longer leads
    lead, top = front(tmp_path)
    assert lead == "Pictured"  # today's rule: the newest with a picture among the newest five
    assert top[0] == "Topped"


def test_the_newest_featured_lead_wins_and_top_stories_come_newest_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    newsroom(tmp_path, **{
        "content/older-lead.md": article(title="Older lead", date="2026-09-01T08:00:00Z", featured="lead"),
        "content/newer-top.md": article(title="Newer top", date="2026-08-01T08:00:00Z", featured="TOP"),
        "content/expired-top.md": article(title="Expired top", date="2026-11-19T08:00:00Z", featured="top",
                                          featured_until="2026-11-19"),
    })
    build(tmp_path, now=at("2026-11-20T09:00"))
    lead, top = front(tmp_path)
    assert lead == "Chosen"
    assert top[:2] == ["Newer top", "Topped"]
    assert "Older lead" not in top and "Expired top" in top  # no longer featured: it is one of the newest


def test_the_snapshot_expires_with_a_featured_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild reading the last build's snapshot, after featured_until passed, equals a full build."""
    monkeypatch.chdir(tmp_path)
    newsroom(tmp_path)
    opts = options(tmp_path, cache_dir=tmp_path / ".cache", now=at("2026-11-20T09:00"))
    Builder(opts).build()
    assert Builder(opts).build().rendered == 0  # nothing changed, nothing due
    later = options(tmp_path, cache_dir=tmp_path / ".cache", now=at("2026-11-21T13:00"))
    report = Builder(later).build()
    assert "" in report.rendered_urls  # the front page, and only because the clock moved
    assert front(tmp_path)[0] == "Pictured"
    full = tmp_path / "full"
    build(tmp_path, output=full, now=at("2026-11-21T13:00"))
    assert (tmp_path / "output/index.html").read_bytes() == (full / "index.html").read_bytes()


def test_sections_follow_the_settings_then_the_alphabet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    newsroom(tmp_path, **{"site.toml": 'sections = ["news", "Sport", "City"]\n',
                          "content/zoo.md": article(title="Zoo", date="2026-01-01", section="Animals")})
    report = build(tmp_path, now=at("2026-11-20T09:00"))
    html = (tmp_path / "output/index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="sections".*?</nav>', html, re.S)
    assert nav
    assert re.findall(r'/sections/([a-z]+)/', nav.group(0)) == ["news", "city", "animals", "business"]
    blocks = re.findall(r'<h2 class="section-heading" id="section-([a-z]+)"', html)
    assert blocks == [key for key in ["news", "city", "animals", "business"] if key in blocks]
    assert [str(w) for w in report.warnings] == [
        f"{tmp_path / 'site.toml'}: sections: no published story is in section 'Sport'; it is left out"]


def test_the_cli_prints_the_unused_section_as_a_warning(tmp_path: Path) -> None:
    newsroom(tmp_path, **{"site.toml": 'sections = ["Sport"]\n'})
    result = run_cli("build", "--no-search", "-q", "--now", "2026-11-20T09:00", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "warning: site.toml: sections: no published story is in section 'Sport'; it is left out"]


BANNER = '[breaking]\ntext = "Polls close at 8 -- results tonight"\nurl = "/plain/"\nuntil = "2026-11-20T20:00:00+08:00"\n'


def test_breaking_banner_on_every_page_until_it_expires(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    newsroom(tmp_path, **{"site.toml": 'permalink = "{slug}/"\n' + BANNER})
    opts = options(tmp_path, cache_dir=tmp_path / ".cache", now=at("2026-11-20T09:00"))
    Builder(opts).build()
    pages = sorted((tmp_path / "output").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<div class="breaking-news"[^>]*><p><strong class="breaking-label">Breaking</strong> '
                         r'<a href="/plain/">Polls close at 8 &ndash; results tonight</a></p></div>', html), page
    # 20:00 in Shanghai is 12:00 UTC: a build from the snapshot after that takes it down everywhere.
    later = at("2026-11-20T12:00")
    report = Builder(options(tmp_path, cache_dir=tmp_path / ".cache", now=later)).build()
    assert report.rendered >= len(pages)
    assert not any("breaking-news" in page.read_text(encoding="utf-8") for page in pages)
    build(tmp_path, output=tmp_path / "full", now=later)
    for page in pages:
        assert page.read_bytes() == (tmp_path / "full" / page.relative_to(tmp_path / "output")).read_bytes()


def test_the_build_clock_from_the_command_line_and_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    newsroom(tmp_path, **{"content/soon.md": article(title="Soon", date="2026-11-25T08:00:00+08:00")})
    before = run_cli("build", "--no-search", "--now", "2026-11-20T09:00", cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    assert "1 scheduled not published" in before.stdout
    assert not (tmp_path / "output/2026/11/25/soon").exists()
    monkeypatch.setenv("BROADSHEET_NOW", "2026-11-26")
    after = run_cli("build", "--no-search", cwd=tmp_path)  # from the snapshot: the scheduled story is due
    assert after.returncode == 0, after.stderr
    assert "scheduled" not in after.stdout
    assert (tmp_path / "output/2026/11/25/soon/index.html").is_file()
    # --now wins over the environment; the clock going back is a full build again.
    again = run_cli("build", "--no-search", "--now", "2026-11-20 17:00 +8", cwd=tmp_path)
    assert again.returncode == 0 and "1 scheduled not published" in again.stdout
    assert not (tmp_path / "output/2026/11/25/soon").exists()


@pytest.mark.parametrize(("command", "where"), [("build", "--now"), ("check", "--now"), ("serve", "BROADSHEET_NOW")])
def test_a_bad_clock_is_one_error_line(command: str, where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    newsroom(tmp_path)
    assert run_cli("build", "-q", "--no-search", "--now", "2026-11-20", cwd=tmp_path).returncode == 0
    kept = (tmp_path / "output/index.html").read_bytes()
    if where == "--now":
        result = run_cli(command, "--now", "2026-02-30T09:00", cwd=tmp_path)
    else:
        monkeypatch.setenv("BROADSHEET_NOW", "tomorrow")
        result = run_cli(command, "--port", "8765", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith(f"error: {where}: ")
    assert (tmp_path / "output/index.html").read_bytes() == kept


def test_a_curated_site_rebuilt_in_full_is_byte_for_byte_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproducible builds: the same sources and the same clock give the same files."""
    monkeypatch.chdir(tmp_path)
    newsroom(tmp_path, **{"site.toml": BANNER})
    build(tmp_path, output=tmp_path / "one", now=at("2026-11-20T09:00"))
    build(tmp_path, output=tmp_path / "two", now=at("2026-11-20T09:00"))
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two
    shutil.rmtree(tmp_path / "two")


def test_featured_values_as_editors_write_them(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    from broadsheet.model.content import parse_article

    def featured(value: object) -> object:
        text = article(title="T", date="2026-01-01", featured=value, featured_until="2026-02-01 18:00")
        parsed = parse_article(text.encode(), "content/t.md", ZoneInfo("Asia/Shanghai"))
        assert parsed.featured_until == dt.datetime(2026, 2, 1, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        return parsed.featured

    assert [featured(v) for v in ("lead", " Lead ", "TOP", True, False)] == ["lead", "lead", "top", "top", None]


def test_an_expired_story_leaves_every_page_feed_and_sitemap_when_the_clock_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    newsroom(tmp_path, **{"content/offer.md": article(
        title="Limited offer", date="2026-11-19T08:00:00Z", expires="2026-11-22", section="News", tags=["deals"],
        aliases=["/old-offer/"])})
    opts = options(tmp_path, cache_dir=tmp_path / ".cache", now=at("2026-11-20T09:00"))
    Builder(opts).build()
    output = tmp_path / "output"
    assert (output / "2026/11/19/offer/index.html").is_file() and (output / "tags/deals/index.html").is_file()
    assert "Limited offer" in (output / "feed.xml").read_text(encoding="utf-8")
    Builder(options(tmp_path, cache_dir=tmp_path / ".cache", now=at("2026-11-22T00:00"))).build()  # from the snapshot
    assert not (output / "2026/11/19/offer").exists() and not (output / "tags/deals").exists()
    assert not (output / "old-offer").exists()
    for name in ("index.html", "feed.xml", "atom.xml", "feed.json", "sitemap.xml", "news-sitemap.xml", "sections/news/index.html"):
        text = (output / name).read_text(encoding="utf-8")
        assert "Limited offer" not in text and "/2026/11/19/offer/" not in text, name
    build(tmp_path, output=tmp_path / "full", now=at("2026-11-22T00:00"))
    files = {p.relative_to(output) for p in output.rglob("*") if p.is_file()}
    assert files == {p.relative_to(tmp_path / "full") for p in (tmp_path / "full").rglob("*") if p.is_file()}


def test_a_builder_kept_alive_takes_each_builds_clock_for_the_banner_and_the_front_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The preview's builder keeps its renderer between delta builds: each build still equals a full build at its clock."""
    from dataclasses import replace

    monkeypatch.chdir(tmp_path)
    newsroom(tmp_path, **{"site.toml": 'permalink = "{slug}/"\n' + BANNER})
    builder = Builder(options(tmp_path, cache_dir=tmp_path / ".cache", now=at("2026-11-20T09:00")))
    builder.build()

    def same_as_full(now: dt.datetime) -> None:
        full = tmp_path / f"full-{now:%d%H%M}"
        build(tmp_path, output=full, now=now)
        built = {p.relative_to(tmp_path / "output"): p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}
        assert built == {p.relative_to(full): p.read_bytes() for p in full.rglob("*") if p.is_file()}

    for n, now in enumerate((at("2026-11-20T10:00"), at("2026-11-20T13:00"), at("2026-11-20T14:00"))):
        # The lead's text changes: a delta build within the snapshot's window, a full one once the banner is down.
        write_files(tmp_path, {"content/chosen.md": article(
            f"The lead, revised {n} times{'!' * n}.\n", title="Chosen", date="2026-11-10T08:00:00Z", section="Business",
            featured="lead", featured_until="2026-11-21T12:00:00Z")})
        builder.options = replace(builder.options, now=now)
        report = builder.build()
        assert report.rendered < report.pages or n == 1
        same_as_full(now)
        assert front(tmp_path)[0] == "Chosen"
