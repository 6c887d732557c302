"""Typography outside the body: headlines, summaries, captions and bios get the body's quotes and dashes;
articles show the time of day, in the page's language."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sitekit import article, build, write_files

from broadsheet.markup.smartquotes import typeset
from broadsheet.model.locale import with_time

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
PROFILES = "Ann Lee:\n  bio: 'Ann writes the \"Money\" column -- and it''s read.'\n"


def page(root: Path, url: str) -> str:
    return (root / "output" / url / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("language", "text", "want"), [
    ("en", 'The "night market" -- it\'s back...', "The &ldquo;night market&rdquo; &ndash; it&rsquo;s back&hellip;"),
    ("de", 'Der "Nachtmarkt" ist zurück', "Der &bdquo;Nachtmarkt&ldquo; ist zurück"),
    ("fr", 'Le "marché" rouvre', "Le &laquo;&#160;marché&#160;&raquo; rouvre"),
    ("zh-Hans", '"夜市"重开 -- 更晚', '"夜市"重开 -- 更晚'),  # no smart quotes for Chinese, as in bodies
    ("en", "Tom & Jerry <b>", "Tom &amp; Jerry &lt;b&gt;"),  # plain text: escaped, never markup
])
def test_typeset_uses_the_body_rules(language: str, text: str, want: str) -> None:
    assert typeset(text, language) == want


def test_headline_summary_caption_and_bio_are_typeset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {
        "content/market.md": article(
            title='The "night market" reopens -- with later hours', date="2026-10-02T20:30:00+08:00",
            authors=["Ann Lee"], summary="Traders say it's \"the best season yet\".", image="pier.png",
            image_caption='Stalls by the canal -- "busier than ever"'),
        "content/older.md": article(title="Older news", date="2026-10-01"),
        "content/de.md": article(title='Der "Nachtmarkt" öffnet', date="2026-09-01", lang="de"),
        "content/authors.yml": PROFILES,
        "static/pier.png": b"\x89PNG\r\n\x1a\npier",
    })
    build(tmp_path, now=NOW)
    story = page(tmp_path, "2026/10/02/market")
    headline = "The &ldquo;night market&rdquo; reopens &ndash; with later hours"
    assert f'<h1 class="headline">{headline}</h1>' in story
    assert '<p class="dek">Traders say it&rsquo;s &ldquo;the best season yet&rdquo;.</p>' in story
    assert "<figcaption>Stalls by the canal &ndash; &ldquo;busier than ever&rdquo;</figcaption>" in story
    assert "Ann writes the &ldquo;Money&rdquo; column &ndash; and it&rsquo;s read." in story
    assert f'>{headline}</a>' in page(tmp_path, "")  # the card on the front page
    assert "Traders say it&rsquo;s &ldquo;the best season yet&rdquo;." in page(tmp_path, "")  # its summary
    assert "Ann writes the &ldquo;Money&rdquo; column" in page(tmp_path, "authors/ann-lee")
    assert 'rel="next" href="/2026/10/02/market/"><span>Next story</span> ' + headline in page(tmp_path, "2026/10/01/older")
    assert "Der &bdquo;Nachtmarkt&ldquo; öffnet" in page(tmp_path, "2026/09/01/de")  # the story's own language
    # Where the text is data, not display (the page title, JSON-LD), it stays as written.
    assert '"headline": "The \\"night market\\" reopens -- with later hours"' in story


def test_articles_show_the_time_of_day_and_the_time_of_the_update(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {
        "site.toml": 'timezone = "Asia/Shanghai"\n',
        "content/market.md": article(title="Market", date="2026-10-02T20:30:00+08:00", updated="2026-10-03 07:05"),
        "content/plain.md": article(title="Plain", date="2026-10-01"),
    })
    build(tmp_path, now=NOW)
    story = page(tmp_path, "2026/10/02/market")
    assert re.search(r'data-pagefind-meta="date">October 2, 2026, 8:30\u202fPM</time>', story)
    assert re.search(r'<span class="updated">Updated <time [^>]*>October 3, 2026, 7:05\u202fAM</time>', story)
    # A date given without a time shows none (not "12:00 AM").
    assert 'data-pagefind-meta="date">October 1, 2026</time>' in page(tmp_path, "2026/10/01/plain")


@pytest.mark.parametrize(("language", "want"), [
    ("en", "October 2, 2026, 8:30\u202fPM"), ("de", "2. Oktober 2026, 20:30"), ("fr", "2 octobre 2026, 20:30"),
    ("zh-Hans", "2026年10月2日 20:30"), ("es", "2 de octubre de 2026, 20:30"),
])
def test_time_of_day_is_localized(language: str, want: str) -> None:
    from broadsheet.model.locale import format_date

    moment = dt.datetime(2026, 10, 2, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert with_time(format_date(moment, "%B %-d, %Y", language), moment, language) == want


def test_a_localized_site_shows_its_times_in_its_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {
        "site.toml": 'language = "de"\ntimezone = "Europe/Berlin"\n',
        "content/markt.md": article(title="Markt", date="2026-10-02T20:30:00+02:00"),
    })
    build(tmp_path, now=NOW)
    assert 'data-pagefind-meta="date">2. Oktober 2026, 20:30</time>' in page(tmp_path, "2026/10/02/markt")
