"""The sample site in content/: its Simplified Chinese edition is linked to the English stories it translates."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from broadsheet.model.config import load_settings
from broadsheet.model.content import Article, parse_article
from broadsheet.model.record import is_standing_path
from broadsheet.model.sources import find_sources
from broadsheet.pages.articles import article_url

ROOT = Path(__file__).resolve().parent.parent


def _articles() -> list[Article]:
    zone = ZoneInfo("Asia/Shanghai")
    return [
        parse_article(path.read_bytes(), rel, zone, standing=is_standing_path(rel, "content"))
        for path in find_sources(ROOT / "content")
        for rel in [path.relative_to(ROOT).as_posix()]
    ]


def test_each_translation_key_links_one_english_and_one_chinese_story() -> None:
    versions: dict[str, dict[str, Article]] = defaultdict(dict)
    for article in _articles():
        if article.translation_key:
            language = article.lang or "en"
            assert language not in versions[article.translation_key], (article.source, article.translation_key)
            versions[article.translation_key][language] = article
    assert len(versions) >= 4
    for key, by_language in versions.items():
        assert set(by_language) == {"en", "zh-Hans"}, key


def test_a_translation_keeps_the_original_s_facts_and_place() -> None:
    by_key: dict[str, list[Article]] = defaultdict(list)
    for article in _articles():
        if article.translation_key:
            by_key[article.translation_key].append(article)
    settings = load_settings(ROOT / "site.toml")
    assert settings.languages == ("zh-Hans",)  # the README's build publishes the Chinese edition
    for key, pair in by_key.items():
        english, chinese = sorted(pair, key=lambda a: a.lang or "")
        for field in ("date", "authors", "image"):
            assert getattr(english, field) == getattr(chinese, field), (key, field)
        # The edition names its sections and topics in Chinese, one for each English one.
        assert english.section and chinese.section and re.fullmatch(r"[\u4e00-\u9fff]+", chinese.section), key
        assert len(chinese.tags) == len(english.tags) and all(re.search(r"[\u4e00-\u9fff]", tag) for tag in chinese.tags), key
        assert article_url(chinese, settings).startswith("zh/") and not article_url(english, settings).startswith("zh/")


def test_the_chinese_edition_is_written_in_chinese() -> None:
    chinese = [a for a in _articles() if a.lang == "zh-Hans" and a.translation_key]
    for article in chinese:
        for text in (article.title, article.summary or "", article.body):
            han = len(re.findall(r"[\u4e00-\u9fff]", text))
            latin = re.findall(r"[A-Za-z]+", text)
            assert han > 10 * len(latin), (article.source, latin)
        assert set(re.findall(r"[A-Za-z]+", article.body)) <= {"Broadsheet"}, article.source
