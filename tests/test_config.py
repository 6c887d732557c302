"""config.py: settings from an optional site.toml, every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.errors import BuildFailed
from broadsheet.model.config import Settings, load_settings, parse_settings


def _errors(data: dict[str, object]) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        parse_settings(data, "site.toml")
    return [str(e) for e in failed.value.errors]


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "site.toml") == Settings()


def test_missing_file_is_an_error_when_asked_for(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        load_settings(tmp_path / "site.toml", required=True)
    assert [e.message for e in failed.value.errors] == ["config file not found"]


def test_reads_values_and_normalises_base_url(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text('title = "The Daily"\nbase_url = "https://example.org/news"\nper_page = 3\ntimezone = "Asia/Tokyo"\n[extra]\nx = 1\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.title == "The Daily"
    assert settings.base_url == "https://example.org/news/"
    assert settings.base_path == "/news/"
    assert settings.site_root == "https://example.org"
    assert settings.per_page == 3
    assert settings.zone.key == "Asia/Tokyo"
    assert settings.extra == {"x": 1}


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes(b'\xef\xbb\xbftitle = "BOM"\r\n')
    assert load_settings(path).title == "BOM"


def test_every_problem_is_reported_together() -> None:
    errors = _errors({"colour": "blue", "per_page": 0, "timezone": "Mars/Olympus", "base_url": "ftp://x", "title": 5})
    assert len(errors) == 5
    assert errors[0].startswith("site.toml: base_url: must be an absolute http(s) URL")
    assert any("unknown setting 'colour'" in e for e in errors)
    assert any(e.startswith("site.toml: per_page: must be a whole number") for e in errors)
    assert any("unknown time zone 'Mars/Olympus'" in e for e in errors)
    assert any(e == "site.toml: title: must be text, got 5" for e in errors)


@pytest.mark.parametrize("value", [True, 0, -1, 2.5, "10"])
def test_per_page_must_be_a_positive_whole_number(value: object) -> None:
    assert len(_errors({"per_page": value})) == 1


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("{year}/{title}/", "unknown field(s) ['title']"),
        ("{year}/{month}/", "must contain {slug}"),
        ("/{slug}/", "must be a relative path"),
        ("../{slug}/", "must be a relative path"),
        ("{year/{slug}/", "is not a valid pattern (unexpected '{' in field name)"),
        ("{year}/{slug}}/", "is not a valid pattern (Single '}' encountered in format string)"),
        ("{year:04d}/{slug}/", "fields take no format"),
        ("{}/{slug}/", "unknown field(s) ['']"),
    ],
)
def test_permalink_is_checked(value: str, problem: str) -> None:
    (error,) = _errors({"permalink": value})
    assert problem in error


@pytest.mark.parametrize("value", ["/etc", "../static", "a/../../b"])
def test_folders_must_stay_inside_the_site(value: str) -> None:
    assert len(_errors({"static_dir": value, "authors_file": value})) == 2


@pytest.mark.parametrize("value", ["en", "zh-Hans", "pt-BR"])
def test_language_tags_are_accepted(value: str) -> None:
    assert parse_settings({"language": value}, "x").language == value


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text('title = "ok"\nper_page = = 3\n', encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        load_settings(path)
    (error,) = failed.value.errors
    assert error.line == 2
    assert error.message.startswith("invalid TOML:")
    assert "\n" not in str(error)


def test_non_utf8_config(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes('title = "Café"\n'.encode("latin-1"))
    with pytest.raises(BuildFailed) as failed:
        load_settings(path)
    assert [e.message for e in failed.value.errors] == ["not valid UTF-8 text"]


def test_overrides_are_validated_too() -> None:
    settings = Settings()
    assert settings.with_overrides(base_url=None) is settings
    assert settings.with_overrides(base_url="https://x.org").base_url == "https://x.org/"
    with pytest.raises(BuildFailed) as failed:
        settings.with_overrides(base_url="not a url")
    assert failed.value.errors[0].path == "command line"


def test_date_format_accepts_strftime_and_babel_patterns() -> None:
    assert parse_settings({"date_format": "%d.%m.%Y"}, "site.toml").date_format == "%d.%m.%Y"
    assert parse_settings({"date_format": "d MMMM y"}, "site.toml").date_format == "d MMMM y"
    assert parse_settings({"date_format": "long"}, "site.toml").date_format == "long"
    [problem] = _errors({"date_format": "qqqqqqqqqq"})
    assert problem.startswith("site.toml: date_format: 'qqqqqqqqqq' is neither a strftime format")
    assert _errors({"date_format": 3}) == ["site.toml: date_format: must be text, got 3"]


def test_strings_table(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(
        '[strings]\n"Related stories" = "More on this"\n"%(num)s min read" = ["%(num)s minute", "%(num)s minutes"]\n'
        '[strings.zh-Hans]\n"Related stories" = "延伸阅读"\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.strings["Related stories"] == "More on this"
    assert settings.strings["zh-Hans"] == {"Related stories": "延伸阅读"}
    assert Settings().strings == {}
    assert _errors({"strings": {"Search": 1}}) == ["site.toml: strings: 'Search' must be text, or a list of plural forms, got 1"]


def test_languages_lists_the_further_editions() -> None:
    settings = parse_settings({"language": "en", "languages": ["zh-Hans", "ar"]}, "site.toml")
    assert settings.languages == ("zh-Hans", "ar")
    assert Settings().languages == ()
    assert settings.with_overrides(title="x").languages == ("zh-Hans", "ar")
    assert _errors({"languages": "zh-Hans"}) == ["site.toml: languages: must be a list of language tags such as ['zh-Hans', 'ar'], got 'zh-Hans'"]
    assert _errors({"languages": ["zh Hans"]}) == ["site.toml: languages: must be a language tag such as 'en' or 'zh-Hans', got 'zh Hans'"]
    assert _errors({"languages": ["ar", "AR"]}) == ["site.toml: languages: lists a language twice: ['ar', 'AR']"]
    assert _errors({"language": "zh-Hans", "languages": ["zh-hans"]}) == [
        "site.toml: languages: lists the site's own language 'zh-Hans'; list only the further editions"
    ]


def test_front_matter_table_in_the_issue_form(tmp_path: Path) -> None:
    config = tmp_path / "site.toml"
    config.write_text(
        '[front_matter]\ntags = ["topics"]            # a Broadsheet field = the site\'s keys\n'
        'summary = ["blurb"]\nimage_alt = ["image-description", "Image_Alt_Text"]\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    assert settings.front_matter == {
        "tags": ("topics",), "summary": ("blurb",), "image_alt": ("image_description", "image_alt_text"),
    }
    assert settings.with_overrides(base_url="https://example.org/").front_matter == settings.front_matter
    assert Settings().front_matter == {}


def test_front_matter_problems_are_each_reported() -> None:
    with pytest.raises(BuildFailed) as failed:
        parse_settings({"front_matter": {"headline": ["hed"], "tags": [], "summary": ["dek", 3], "section": ["Desk"],
                                         "authors": ["desk"]}}, "site.toml")
    messages = [e.message for e in failed.value.errors]
    assert any(m.startswith("front_matter: 'headline' is not a Broadsheet field; map one of title, date,") for m in messages)
    assert 'front_matter: tags: must be a list of front-matter keys such as ["topics"], got []' in messages
    assert 'front_matter: summary: must be a list of front-matter keys such as ["topics"], got [\'dek\', 3]' in messages
    assert "front_matter: authors: key 'desk' is already mapped to section" in messages
    assert len(messages) == 4


def test_front_matter_must_be_a_table() -> None:
    with pytest.raises(BuildFailed) as failed:
        parse_settings({"front_matter": ["tags"]}, "site.toml")
    assert [e.message for e in failed.value.errors] == [
        "front_matter: must be a table such as tags = [\"topics\"], got ['tags']"]


def test_markdown_engine_defaults_to_python_markdown_and_names_the_engines_when_wrong() -> None:
    assert parse_settings({}, "site.toml").markdown == "python-markdown"
    assert parse_settings({"markdown": "commonmark"}, "site.toml").markdown == "commonmark"
    for bad in ("CommonMark", "gfm", 1):
        assert _errors({"markdown": bad}) == [f"site.toml: markdown: must be one of 'python-markdown', 'commonmark', got {bad!r}"]
