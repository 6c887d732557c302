"""editions.py: versions of a story grouped by translation_key, and the two ways to get it wrong."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sitekit import article

from broadsheet.errors import BuildFailed
from broadsheet.model.content import Article, parse_article
from broadsheet.model.editions import language_of, translation_groups, translations_of
from broadsheet.model.fieldreader import front_matter_line
from broadsheet.model.locale import normalize_tag

SOURCES: dict[str, bytes] = {}


def story(name: str, **fields: object) -> Article:
    raw = article(**fields).encode("utf-8")
    SOURCES[name] = raw
    return parse_article(raw, name, ZoneInfo("UTC"))


def line_of(a: Article) -> int | None:
    return front_matter_line(SOURCES[a.source], "translation_key", "translation_of")


def errors(stories: list[Article], site_language: str = "en") -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        translation_groups(stories, site_language, line_of)
    return [str(e) for e in failed.value.errors]


def test_versions_are_grouped_by_key_and_language() -> None:
    english = story("content/a.md", translation_key="market")
    chinese = story("content/zh/a.md", translation_key="market", lang="zh-Hans")
    french = story("content/fr/a.md", translation_of="market", lang="fr")
    alone = story("content/b.md")
    groups = translation_groups([chinese, alone, english, french], "en")
    assert groups == {"market": {"en": english, "zh-Hans": chinese, "fr": french}}
    assert translations_of(chinese, groups, "en") == {"en": english, "fr": french}
    assert translations_of(alone, groups, "en") == {}


def test_a_story_without_lang_is_in_the_site_s_language() -> None:
    chinese_site = story("content/a.md", translation_key="k")
    english = story("content/en/a.md", translation_key="k", lang="en")
    assert set(translation_groups([chinese_site, english], "zh-Hans")["k"]) == {"zh-Hans", "en"}
    assert language_of(story("content/c.md", lang="zh_hans"), "en") == "zh-Hans"


def test_a_key_no_other_story_has_points_nowhere() -> None:
    assert errors([story("content/zh/a.md", title="x", date="2024-05-01", translation_key="markt", lang="zh-Hans")]) == [
        "content/zh/a.md:4: translation_key: no other story has translation_key 'markt'; give every version of the story the same key"
    ]


def test_two_stories_cannot_claim_one_language_of_a_key() -> None:
    stories = [
        story("content/a.md", translation_key="k"),
        story("content/zh/a.md", translation_key="k", lang="zh-Hans"),
        story("content/zh/b.md", translation_key="k", lang="zh-hans"),
    ]
    assert errors(stories) == [
        "content/zh/b.md:2: translation_key: 'k' already has a zh-Hans version, content/zh/a.md; a story has one version per language"
    ]


def test_every_problem_is_reported_at_once() -> None:
    stories = [story("content/a.md", translation_key="lonely"), story("content/b.md", translation_key="k"), story("content/c.md", translation_key="k")]
    assert len(errors(stories)) == 3  # c duplicates b's language, so k has one version left too


def test_normalize_tag() -> None:
    assert [normalize_tag(t) for t in ("ZH_hans", "pt_br", "en", "sr-latn-rs", "es-419")] == ["zh-Hans", "pt-BR", "en", "sr-Latn-RS", "es-419"]


def test_front_matter_line() -> None:
    raw = b"---\ntitle: x\ndate: 2024-05-01\ntranslation_of: k\n---\nBody\ntranslation_key: not here\n"
    assert front_matter_line(raw, "translation_key", "translation_of") == 4
    assert front_matter_line(raw, "slug") is None
    assert front_matter_line(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n", "title") == 2
    toml = b'+++\ntitle = "x"\nTranslation-Key = "k"\n+++\nBody\n'
    assert front_matter_line(toml, "translation_key") == 3  # any dialect, keys as the vocabulary normalizes them
    assert front_matter_line(b"---\ntitle: [\n", "title") is None  # broken front matter: its own error has the line


def test_editions_from_settings() -> None:
    from broadsheet.model.config import Settings
    from broadsheet.model.editions import Edition, editions

    assert editions(Settings(title="T")) == (Edition("en", "", "T"),)
    two = editions(Settings(title="T", language="en", languages=("zh-hans", "ar")))
    assert two == (Edition("en", "", "T"), Edition("zh-Hans", "zh/", "T"), Edition("ar", "ar/", "T"))
    both = editions(Settings(language="en", languages=("zh-Hans", "zh-Hant")))
    assert [e.prefix for e in both] == ["", "zh-hans/", "zh-hant/"]
    assert both[0].main and not both[1].main
    # [editions.<language>] names another prefix, title and description; the others keep the site's.
    own = editions(Settings(title="T", description="D", languages=("zh-Hans", "ar"),
                            editions={"zh-hans": {"prefix": "cn", "title": "杭州信使报"}}))
    assert own[1] == Edition("zh-Hans", "cn/", "杭州信使报", "D")
    assert own[2] == Edition("ar", "ar/", "T", "D")


def test_stories_are_partitioned_by_edition() -> None:
    from broadsheet.model.config import Settings
    from broadsheet.model.editions import edition_of, editions, partition

    settings = Settings(language="en", languages=("zh-Hans",))
    all_editions = editions(settings)
    english, chinese, japanese = story("content/a.md"), story("content/b.md", lang="zh-hans"), story("content/c.md", lang="ja")
    assert edition_of(chinese, all_editions, "en").prefix == "zh/"
    assert edition_of(japanese, all_editions, "en").main  # a language without an edition stays in the main one
    parts = partition([english, chinese, japanese], all_editions, "en")
    assert [len(stories) for stories in parts.values()] == [2, 1]
    assert parts[all_editions[1]] == [chinese]
