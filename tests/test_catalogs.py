"""catalogs.py: the theme's gettext catalogs, site overrides, the English fallback, and Jinja wiring."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jinja2
import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from markupsafe import Markup

from broadsheet.errors import BuildFailed
from broadsheet.model.catalogs import (
    available,
    catalog_path,
    check_overrides,
    find_catalog,
    install,
    load_theme_strings,
    read_catalog,
)
from broadsheet.theme import THEME_LOCALES

SHIPPED = {"en": 2, "zh_Hans": 1, "zh_Hant": 1, "es": 3, "fr": 3, "de": 2, "ar": 6}
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


TEMPLATE = _read(THEME_LOCALES / "messages.pot")


def test_the_seven_languages_are_shipped_with_their_plural_forms() -> None:
    assert set(available()) == set(SHIPPED)
    for name, forms in SHIPPED.items():
        catalog = _read(catalog_path(name))
        # As many forms as CLDR has plural categories (what browsers' Intl.PluralRules use too).
        assert catalog.num_plurals == forms == len(Locale.parse(name).plural_form.tags | {"other"}), name


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_theme_string_is_translated_with_the_same_placeholders(name: str) -> None:
    catalog = _read(catalog_path(name))
    ids = [m.id for m in TEMPLATE if m.id]
    assert len(ids) > 60
    for message_id in ids:
        message = catalog.get(message_id)
        assert message is not None and not message.fuzzy, (name, message_id)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (catalog.num_plurals if isinstance(message_id, tuple) else 1), (name, message_id)
        wanted = set(PLACEHOLDER.findall(message_id[1] if isinstance(message_id, tuple) else message_id))
        for string in strings:
            assert string, (name, message_id)
            used = set(PLACEHOLDER.findall(string))
            # A form for exactly one or two (Arabic's "one", "two") may spell the number out.
            assert used == wanted or used == wanted - {"%(num)s"}, (name, message_id, string)


def test_english_catalog_is_the_source_text() -> None:
    for message in _read(catalog_path("en")):
        if message.id:
            assert message.string == message.id


@pytest.mark.parametrize("name", ["zh_Hans", "zh_Hant"])
def test_chinese_catalogs_have_no_english_left(name: str) -> None:
    allowed = {"JavaScript", "HTTP"}
    for message in _read(catalog_path(name)):
        if not message.id:
            continue
        for string in message.string if isinstance(message.string, tuple) else (message.string,):
            words = set(re.findall(r"[A-Za-z]+", PLACEHOLDER.sub("", string)))
            assert words <= allowed, (message.id, string)


def test_simplified_and_traditional_catalogs_keep_to_their_script() -> None:
    simplified = "".join(str(m.string) for m in _read(catalog_path("zh_Hans")))
    traditional = "".join(str(m.string) for m in _read(catalog_path("zh_Hant")))
    assert not set("報導頁欄話題尋關於記閱讀發佈較聞頭條檔") & set(simplified)
    assert not set("报导页栏话题寻关于记阅读发布较闻头条档") & set(traditional)


def test_gettext_and_plurals_in_each_language() -> None:
    story = ("%(num)s story", "%(num)s stories")
    assert load_theme_strings("zh-Hans").gettext("Related stories") == "相关报道"
    assert load_theme_strings("zh-Hant").gettext("Related stories") == "相關報導"
    assert load_theme_strings("fr").ngettext(*story, 0) == "%(num)s article"  # French counts 0 as singular
    assert load_theme_strings("fr").ngettext(*story, 2) == "%(num)s articles"
    assert load_theme_strings("es").ngettext(*story, 1_000_000) == "%(num)s de noticias"
    arabic = load_theme_strings("ar")
    forms = [arabic.ngettext(*story, n) for n in (0, 1, 2, 3, 11, 100)]
    assert len(set(forms)) == 5  # zero and "other" read the same here; the rest all differ
    assert forms[1] == "خبر واحد" and forms[2] == "خبران" and forms[3] == "%(num)s أخبار"


def test_region_and_script_variants_find_their_catalog() -> None:
    assert find_catalog("zh-TW") == "zh_Hant"
    assert find_catalog("zh-HK") == "zh_Hant"
    assert find_catalog("zh-CN") == "zh_Hans"
    assert find_catalog("zh") == "zh_Hans"
    assert find_catalog("fr-CA") == "fr"
    assert find_catalog("ar-EG") == "ar"
    assert find_catalog("en-GB") == "en"
    assert find_catalog("ja") is None


def test_a_language_without_a_catalog_falls_back_to_english_with_a_warning() -> None:
    strings = load_theme_strings("ja")
    assert strings.catalog is None
    assert strings.warning is not None and "'ja'" in strings.warning
    assert strings.gettext("Related stories") == "Related stories"
    assert strings.ngettext("%(num)s story", "%(num)s stories", 1) == "%(num)s story"
    assert load_theme_strings("zh-Hans").warning is None


def test_site_overrides_any_string() -> None:
    overrides = {
        "Related stories": "More on this",
        "Weather": "Weather desk",  # a string of the site's own templates
        "%(num)s min read": ["%(num)s minute", "%(num)s minutes"],
        "zh-Hans": {"Related stories": "延伸阅读", "%(num)s story": ["共%(num)s篇"]},
        "zh": {"Topics": "专题"},
    }
    english = load_theme_strings("en", overrides, site_language="en")
    assert english.gettext("Related stories") == "More on this"
    assert english.gettext("Weather") == "Weather desk"
    assert english.ngettext("%(num)s min read", "%(num)s min read", 1) == "%(num)s minute"
    assert english.ngettext("%(num)s min read", "%(num)s min read", 5) == "%(num)s minutes"
    chinese = load_theme_strings("zh-Hans", overrides, site_language="en")  # a translated edition
    assert chinese.gettext("Related stories") == "延伸阅读"
    assert load_theme_strings("zh-Hans", {"Related stories": "延伸", "zh-Hans": {"Related stories": "延伸阅读"}}).gettext(
        "Related stories"
    ) == "延伸阅读"  # the language's table wins over top-level entries
    assert load_theme_strings("fr", overrides, site_language="en").gettext("Related stories") == "À lire aussi"
    assert chinese.gettext("Topics") == "专题"  # a table for the bare language applies to its scripts
    assert chinese.ngettext("%(num)s story", "%(num)s stories", 9) == "共%(num)s篇"
    assert chinese.gettext("Archive") == "档案"
    # The shipped catalog is read once and must not keep a site's overrides.
    assert load_theme_strings("zh-Hans").gettext("Related stories") == "相关报道"


def test_one_text_overrides_every_plural_form() -> None:
    strings = load_theme_strings("ar", {"%(num)s min read": "%(num)s د"})
    assert {strings.ngettext("%(num)s min read", "%(num)s min read", n) for n in (1, 2, 5, 50)} == {"%(num)s د"}


def test_plural_overrides_need_the_language_s_number_of_forms() -> None:
    with pytest.raises(BuildFailed) as failed:
        load_theme_strings("ar", {"%(num)s story": ["one", "many"]}, source="site/site.toml")
    assert [str(e) for e in failed.value.errors] == [
        "site/site.toml: strings: '%(num)s story' needs 6 plural forms in 'ar', got 2"
    ]


def test_check_overrides() -> None:
    assert check_overrides({"Search": "Find", "zh-Hans": {"Search": "查找"}, "%(num)s story": ["a", "b"]}) is None
    assert "must be a table" in str(check_overrides("Search"))
    assert check_overrides({"Search": 3}) == "'Search' must be text, or a list of plural forms, got 3"
    assert check_overrides({"Search": []}) == "'Search' must be text, or a list of plural forms, got []"
    assert check_overrides({"Chinese!": {"Search": "查找"}}) == "[strings.Chinese!]: 'Chinese!' is not a language tag such as 'zh-Hans'"
    assert check_overrides({"fr": {"Search": ["a", 2]}}) == "'Search' must be text, or a list of plural forms, got ['a', 2]"


def test_plural_messages_give_every_cldr_category() -> None:
    forms = load_theme_strings("ar").plural_messages("%(num)s story", "%(num)s stories")
    assert set(forms) == {"zero", "one", "two", "few", "many", "other"}
    assert forms["two"] == "خبران"
    assert load_theme_strings("zh-Hans").plural_messages("%(num)s story", "%(num)s stories") == {"other": "%(num)s篇报道"}
    # English fallback: English forms, chosen by English rules (the page's script is told to use them).
    fallback = load_theme_strings("ja")
    assert fallback.plural_language == "en"
    assert fallback.plural_messages("%(num)s story", "%(num)s stories") == {"one": "%(num)s story", "other": "%(num)s stories"}


def _environment(language: str, templates: dict[str, str], date_format: str = "%B %-d, %Y") -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    install(env, load_theme_strings(language), date_format)
    return env


def test_templates_translate_with_newstyle_gettext() -> None:
    templates = {
        "page.html": (
            '<html lang="{{ lang }}"{% if direction(lang) == "rtl" %} dir="rtl"{% endif %}>'
            '<h2>{{ _("Related stories") }}</h2>'
            '<p>{{ ngettext("%(num)s story", "%(num)s stories", n, num=n | number) }}</p>'
            "<time>{{ when | datefmt }}</time> <time>{{ when | datefmt('%b %-d') }}</time>"
            "<p>{{ archive_title((2022, 7)) }}</p>"
            "</html>"
        )
    }
    when = dt.datetime(2022, 7, 23, 9, 30, tzinfo=dt.UTC)
    page = _environment("zh-Hans", templates).get_template("page.html")
    assert page.render(lang="zh-Hans", n=1234, when=when) == (
        '<html lang="zh-Hans"><h2>相关报道</h2><p>1,234篇报道</p>'
        "<time>2022年7月23日</time> <time>7月23日</time><p>2022年7月</p></html>"
    )
    arabic = _environment("ar", templates).get_template("page.html").render(lang="ar", n=2, when=when)
    assert arabic.startswith('<html lang="ar" dir="rtl"><h2>أخبار ذات صلة</h2><p>خبران</p>')
    assert "23 يوليو 2022" in arabic
    french = _environment("fr", templates, "EEEE d MMMM y").get_template("page.html").render(lang="fr", n=0, when=when)
    assert "<p>0 article</p><time>samedi 23 juillet 2022</time> <time>23 juil.</time><p>juillet 2022</p>" in french


def test_placeholders_are_escaped_but_markup_is_kept() -> None:
    templates = {
        "byline.html": (
            '{% set link %}<a href="/a/">{{ name }}</a>{% endset %}'
            '{{ _("By %(authors)s", authors=link) }} {{ _("More %(section)s", section=section) }}'
        )
    }
    html = _environment("fr", templates).get_template("byline.html").render(name="Lin & Co", section="<City>")
    assert html == 'Par <a href="/a/">Lin &amp; Co</a> Plus dans &lt;City&gt;'


def test_search_messages_are_plain_data_for_the_script() -> None:
    env = _environment("de", {"s.html": "{{ search_messages() | tojson }}"})
    data = env.globals["search_messages"]()
    assert data["found"] == {"one": "%(num)s Ergebnis für „%(query)s“", "other": "%(num)s Ergebnisse für „%(query)s“"}
    assert data["plurals"] == "de"
    assert isinstance(env.get_template("s.html").render(), Markup | str)


def test_overrides_reach_templates() -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": '{{ _("Related stories") }}'}), autoescape=True)
    install(env, load_theme_strings("de", {"de": {"Related stories": "Lesen Sie auch"}}), "%B %-d, %Y")
    assert env.get_template("t.html").render() == "Lesen Sie auch"


def test_the_template_and_every_catalog_match_the_theme() -> None:
    """``locales/messages.pot`` is what the templates use today, and every catalog translates all of it."""
    import sys

    sys.path.insert(0, str(THEME_LOCALES.parent / "scripts"))
    try:
        import messages
    finally:
        sys.path.pop(0)
    extracted = messages.extract()
    assert {m.id for m in extracted if m.id} == {m.id for m in TEMPLATE if m.id}
    assert messages.problems(extracted) == []


def test_compiled_catalogs_are_kept_in_the_cache_and_follow_the_overrides_and_the_po_file(tmp_path: Path) -> None:
    root = tmp_path / "locales"
    for name in ("en", "de", "fr"):
        target = catalog_path(name, root)
        target.parent.mkdir(parents=True)
        target.write_bytes(catalog_path(name).read_bytes())
    cache = tmp_path / "cache"
    cache.mkdir()
    assert load_theme_strings("de", root=root, cache=cache).gettext("Related stories") == "Mehr zum Thema"
    (stored,) = cache.glob("strings-*.mo")
    # Read back from the cache, not compiled again: what is planted there is what comes out.
    load_theme_strings("fr", root=root, cache=cache)
    french = next(path for path in cache.glob("strings-*.mo") if path != stored)
    stored.write_bytes(french.read_bytes())
    assert load_theme_strings("de", root=root, cache=cache).gettext("Related stories") == load_theme_strings("fr", root=root).gettext("Related stories")
    # An override, or an edit of the .po file, is compiled anew: a cached catalog is never stale.
    assert load_theme_strings("de", {"Related stories": "Mehr dazu"}, root=root, cache=cache).gettext("Related stories") == "Mehr dazu"
    po = catalog_path("de", root)
    po.write_text(po.read_text("utf-8").replace('msgstr "Mehr zum Thema"', 'msgstr "Auch lesenswert"'), "utf-8")
    read_catalog.cache_clear()  # as in the next build's process
    assert load_theme_strings("de", root=root, cache=cache).gettext("Related stories") == "Auch lesenswert"
    assert len(list(cache.glob("strings-*.mo"))) == 4
