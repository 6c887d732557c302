"""The wire-copy parser: fixtures in tests/fixtures/wire, header variants, body rules, errors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from broadsheet.authoring.articlefile import format_article
from broadsheet.authoring.mdescape import escape_markdown
from broadsheet.authoring.wirecopy import parse_wire_copy
from broadsheet.authoring.wireheader import HeaderError, is_header, parse_header
from broadsheet.errors import BuildFailed
from broadsheet.markup.markdown import plain_text, to_html
from broadsheet.model.content import parse_article

WIRE = Path(__file__).parent / "fixtures" / "wire"
ZONE = ZoneInfo("Asia/Shanghai")


def parse(name: str) -> tuple[dict, str]:
    return parse_wire_copy((WIRE / name).read_text(encoding="utf-8"), name, ZONE)


def errors_of(text: str, name: str = "story.txt") -> list[str]:
    with pytest.raises(BuildFailed) as caught:
        parse_wire_copy(text, name, ZONE)
    return [str(error) for error in caught.value.errors]


def headings(body: str) -> list[str]:
    return [line[3:] for line in body.splitlines() if line.startswith("## ")]


def paragraphs(body: str) -> list[str]:
    return [block for block in body.strip().split("\n\n") if not block.startswith("## ")]


# --- the fixtures -----------------------------------------------------------


def test_standard_layout() -> None:
    meta, body = parse("standard.txt")
    assert meta["title"] == "Alipay puts 10 billion yuan behind merchants as traffic spreads across apps"
    assert meta["date"] == dt.date(2022, 7, 23)
    assert meta["authors"] == ["Lu Xiao"]  # the reporter the copy names, not the outlet
    assert meta["source"] == "Huaxia Times"  # the Author field's outlet, kept as the credit
    assert meta["image_caption"] == "He Yongming, vice president of Ant Group, speaking at the partner conference"
    assert meta["credit_line"] == "China Times (chinatimes.net.cn) reporter Lu Xiao Hangzhou report"
    assert "reporter" not in meta
    assert meta["dateline"] == "Hangzhou"
    assert meta["editors"] == ["Huang Xingli", "Han Feng"]
    assert "lang" not in meta
    assert headings(body) == ["A race for the long run", "Holding on to attention"]
    assert paragraphs(body)[0] == "Alipay is opening more of its app to the businesses that sell through it."
    assert len(paragraphs(body)) == 6


def test_nothing_after_end_and_no_metadata_lines_in_body() -> None:
    _, body = parse("standard.txt")
    for dropped in ("Carmaker", "Street office", "END", "Editor", "Huang Xingli", "reporter Lu Xiao", "partner conference)"):
        assert dropped not in body


def test_author_and_time_with_double_space() -> None:
    meta, body = parse("spaced-time.txt")
    assert meta["authors"] == ["Wang Fang"]
    assert meta["date"] == dt.datetime(2023, 6, 18, 14, 30, tzinfo=ZONE)
    assert meta["editors"] == ["Zhou Min"]
    assert "Weather" not in body


def test_missing_time_leaves_the_date_to_the_caller() -> None:
    meta, body = parse("no-time.txt")
    assert meta["date"] is None
    assert meta["authors"] == ["Lu Xiao"]
    assert "image_caption" not in meta and "editors" not in meta
    assert len(paragraphs(body)) == 2


def test_source_field_and_several_authors_and_credit_lines() -> None:
    meta, body = parse("source.txt")
    assert meta["authors"] == ["Lu Xiao", "Chen Jing"]
    assert meta["source"] == "Huaxia Times"
    assert meta["date"] == dt.date(2023, 4, 2)
    assert meta["editors"] == ["Huang Xingli", "Han Feng"]
    assert headings(body) == ["Price and freshness"]
    assert "Other stories" not in body


def test_odd_spacing_and_blank_lines() -> None:
    meta, body = parse("odd-spacing.txt")
    assert meta["title"] == "Bus punctuality dashboard goes public"
    assert meta["authors"] == ["Zhao Lei"]
    assert meta["date"] == dt.datetime(2023, 9, 5, 8, 5, tzinfo=ZONE)
    assert meta["image_caption"] == "A screen at the central bus station shows arrival times"
    assert meta["editors"] == ["Han Feng"]
    assert headings(body) == ["Late lines"]
    assert paragraphs(body)[1] == "Riders can check the figures on the bureau website."
    assert "Teaser" not in body
    assert not re.search(r"^[ \t]|[ \t]$", body, re.MULTILINE)


def test_full_width_colons_spaces_digits_and_parentheses() -> None:
    meta, body = parse("fullwidth.txt")
    assert meta["authors"] == ["Huaxia Times"]
    assert meta["date"] == dt.datetime(2023, 5, 20, 9, 40, tzinfo=ZONE)
    assert meta["image_caption"] == "A vendor shows a payment code at a fruit stall"
    assert meta["editors"] == ["Zhou Min"]
    assert "Another story" not in body
    assert len(paragraphs(body)) == 2


def test_all_chinese_story() -> None:
    meta, body = parse("chinese.txt")
    assert meta["title"] == "支付宝投入百亿资源扶持商家"
    assert meta["authors"] == ["陆晓"] and meta["source"] == "华夏时报"
    assert meta["date"] == dt.datetime(2022, 7, 23, 10, 15, tzinfo=ZONE)
    assert meta["image_caption"] == "蚂蚁集团副总裁何永铭在合作伙伴大会上发言"
    assert meta["credit_line"] == "华夏时报（chinatimes.net.cn）记者 陆晓 杭州报道"
    assert meta["dateline"] == "杭州"
    assert meta["editors"] == ["黄兴利", "韩锋"]
    assert meta["lang"] == "zh"
    assert headings(body) == ["长跑型选手", "争夺用户注意力"]
    assert "“每一条支付记录背后，都是一个真实的人。”他说。" in paragraphs(body)
    assert "蔚来" not in body and "责任编辑" not in body


def test_missing_header_line_is_reported_on_line_two() -> None:
    assert errors_of((WIRE / "no-header.txt").read_text(encoding="utf-8"), "no-header.txt") == [
        "no-header.txt:2: expected a header line such as 'Author: NAME Time: 2022.07.23' after the headline"
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in WIRE.glob("*.txt") if p.name != "no-header.txt"))
def test_every_good_fixture_round_trips_through_the_article_reader(name: str) -> None:
    meta, body = parse(name)
    meta["date"] = meta["date"] or dt.date(2024, 1, 2)
    article = parse_article(format_article(meta, body).encode("utf-8"), "x.md", ZONE)
    assert article.title == meta["title"]
    assert article.authors == tuple(meta["authors"])
    assert article.date.utcoffset() == dt.timedelta(hours=8)
    assert article.date.date() == (meta["date"] if type(meta["date"]) is dt.date else meta["date"].date())
    assert article.extra.get("editors") == meta.get("editors")
    assert article.extra.get("image_caption") == meta.get("image_caption")
    assert article.lang == meta.get("lang")
    assert article.body.strip() == body.strip()


# --- the header line --------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "authors", "source", "date"),
    [
        ("Author:Huaxia Times Time:2022.07.23", ("Huaxia Times",), None, dt.date(2022, 7, 23)),
        ("Author: X  Time: 2023-06-18 14:30", ("X",), None, dt.datetime(2023, 6, 18, 14, 30, tzinfo=ZONE)),
        ("author: A and B | time: 2023/6/8 7:05:09", ("A", "B"), None, dt.datetime(2023, 6, 8, 7, 5, 9, tzinfo=ZONE)),
        ("Time: 2023.06.18 Author: Wang Fang", ("Wang Fang",), None, dt.date(2023, 6, 18)),
        ("By: Lu Xiao / Chen Jing", ("Lu Xiao", "Chen Jing"), None, None),
        ("Source: Xinhua Time: 2023.01.31", (), "Xinhua", dt.date(2023, 1, 31)),
        ("Source: https://www.chinatimes.net.cn Time: 2022.07.23", (), "https://www.chinatimes.net.cn", dt.date(2022, 7, 23)),
        ("作者：陆晓、陈静 来源：华夏时报 时间：2023年1月31日", ("陆晓", "陈静"), "华夏时报", dt.date(2023, 1, 31)),
        ("作者:陆晓时间:2023.01.31", ("陆晓",), None, dt.date(2023, 1, 31)),
        ("ＡＵＴＨＯＲ：Ｌｕ　Ｘｉａｏ　ＴＩＭＥ：２０２３．０１．３１", ("Lu Xiao",), None, dt.date(2023, 1, 31)),
    ],
)
def test_header_variants(line: str, authors: tuple, source: str | None, date: object) -> None:
    assert is_header(line)
    header = parse_header(line, ZONE)
    assert (header.authors, header.source, header.date) == (authors, source, date)


@pytest.mark.parametrize(
    "line", ["China Times reporter Lu Xiao", "The author: a profile", "Time flies", "(Author: X)", ""]
)
def test_lines_that_are_not_headers(line: str) -> None:
    assert not is_header(line)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Author: X Time: 2023.02.30", "is not a possible date"),
        ("Author: X Time: yesterday", "cannot read the time 'yesterday'"),
        ("Author: X Photo: Y Time: 2023.01.01", "unknown header field 'Photo'"),
        ("Author: X Author: Y", "two 'Author' fields"),
        ("Author: Time: 2023.01.01", "'Author' is empty"),
        ("Time: 2023.01.01", "neither an Author nor a Source"),
    ],
)
def test_bad_header_fields(line: str, message: str) -> None:
    with pytest.raises(HeaderError, match=re.escape(message)):
        parse_header(line, ZONE)


# --- body rules and errors --------------------------------------------------


def story(*body: str, header: str = "Author: Wang Fang Time: 2023.06.18") -> str:
    return "\n".join(["Headline", header, *body, "- END -", "Teaser"]) + "\n"


def test_short_lines_become_headings_only_between_paragraphs() -> None:
    _, body = parse_wire_copy(
        story("Opening line without a stop", "First paragraph.", "Heading one", "Second heading candidate",
              "Another paragraph.", "(Photo by the reporter)", "Closing words"),
        "s.txt", ZONE,
    )
    assert headings(body) == ["Heading one"]
    assert "Opening line without a stop" in paragraphs(body)
    assert "Second heading candidate" in paragraphs(body)
    assert "(Photo by the reporter)" in paragraphs(body)
    assert "Closing words" in paragraphs(body)


@pytest.mark.parametrize(
    "line",
    ["It ended.", "Did it end?", "我们到了。", "He said: “yes.”", "A line with well over ten different words in it here now",
     "这是一个超过二十个汉字的很长很长的句子但是没有任何标点符号结尾"],
)
def test_sentences_and_long_lines_stay_paragraphs(line: str) -> None:
    _, body = parse_wire_copy(story("First paragraph.", line, "Last paragraph."), "s.txt", ZONE)
    assert headings(body) == []


def test_editor_credit_variants() -> None:
    meta, body = parse_wire_copy(
        story("Text.", "Editor: Li Na", "Responsible editor: Zhou Min; Proofreader: Sun Tao",
              "（责任编辑：黄兴利 主编：韩锋）", "编辑：李娜"),
        "s.txt", ZONE,
    )
    assert meta["editors"] == ["Li Na", "Zhou Min", "Sun Tao", "黄兴利", "韩锋", "李娜"]
    assert paragraphs(body) == ["Text."]


def test_markdown_characters_in_wire_text_render_literally() -> None:
    lines = ["# Not a heading.", "1. Not a list.", "Use *stars* and <b>tags</b> & [links](x).", ": not a definition"]
    _, body = parse_wire_copy(story(*lines), "s.txt", ZONE)
    html = to_html(body, "zh")
    assert "<h1" not in html and "<ol" not in html and "<em" not in html and "<b>" not in html and "<dl" not in html
    assert plain_text(html) == " ".join(lines)


@given(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]), min_size=1).map(str.strip).filter(bool))
def test_escaped_text_renders_as_itself(text: str) -> None:
    assert plain_text(to_html(escape_markdown(" ".join(text.split())), "zh")) == " ".join(text.split())


def test_windows_line_endings_bom_and_line_numbers() -> None:
    text = "\ufeff\r\n\r\nHeadline\r\nAuthor: X Time: 2023.13.01\r\nBody.\r\n"
    assert errors_of(text) == [
        "story.txt:4: the time '2023.13.01' is not a possible date (month must be in 1..12)",
        "story.txt:5: no '- END -' line: cannot tell where the story stops",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "story.txt: file is empty; wire copy starts with a headline"),
        ("Author: X Time: 2023.01.01\nBody.\n- END -\n", "story.txt:1: the file starts with the header line; put the headline above it"),
        ("Headline\n", "story.txt:1: expected a header line such as 'Author: NAME Time: 2022.07.23' after the headline"),
        ("Headline\nAuthor: X\n(Caption)\n- END -\n", "story.txt:4: no story text before '- END -'"),
        ("Headline\nAuthor: X\nText.\nEditor:\n- END -\n", "story.txt:4: editor credit names nobody"),
    ],
)
def test_errors_name_file_and_line(text: str, expected: str) -> None:
    assert errors_of(text) == [expected]


@pytest.mark.parametrize(
    ("credit", "header", "authors", "source"),
    [
        ("China Times reporters Lu Xiao and Chen Jing Hangzhou report", "Author: Huaxia Times", ["Lu Xiao", "Chen Jing"], "Huaxia Times"),
        ("China Times reporter Lu Xiao Hangzhou report", "Author: Huaxia Times Source: China Times", ["Lu Xiao"], "China Times"),
        ("华夏时报记者 陆晓 陈静 杭州报道", "作者：华夏时报", ["陆晓", "陈静"], "华夏时报"),
        ("China Times reporter Hangzhou report", "Author: Huaxia Times", ["Huaxia Times"], None),  # no name: the header's
    ],
)
def test_the_reporter_named_in_the_copy_is_the_byline(credit: str, header: str, authors: list, source: str | None) -> None:
    meta, _ = parse_wire_copy(f"Headline here\n{header} Time: 2022.07.23\n{credit}\nThe story.\n- END -\n", "x.txt", ZONE)
    assert meta["authors"] == authors
    assert meta.get("source") == source
