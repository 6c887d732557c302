"""``site.py import`` and ``site.py new`` run as real subprocesses in a scratch site folder."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from broadsheet.cli import make_parser
from broadsheet.model.content import parse_article
from broadsheet.model.slugs import slugify
from broadsheet.theme import THEME_DIR

ROOT = Path(__file__).resolve().parent.parent
WIRE = Path(__file__).parent / "fixtures" / "wire"
ZONE = ZoneInfo("Asia/Shanghai")


def site(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "site.py"), *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120
    )


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    """A site folder with a site.toml in Shanghai time and copies of the wire fixtures in wire/."""
    (tmp_path / "site.toml").write_text('title = "Test"\ntimezone = "Asia/Shanghai"\n', encoding="utf-8")
    shutil.copytree(WIRE, tmp_path / "wire")
    return tmp_path


def read(root: Path, rel: str, zone: ZoneInfo = ZONE):
    return parse_article((root / rel).read_bytes(), rel, zone)


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_help_lists_both_commands(tmp_path: Path) -> None:
    result = site(tmp_path, "--help")
    assert result.returncode == 0
    assert "import" in result.stdout and "new" in result.stdout
    assert "nothing is written" in site(tmp_path, "import", "--help").stdout


def test_import_writes_an_article_the_reader_accepts(newsroom: Path) -> None:
    result = site(newsroom, "import", "wire/standard.txt")
    assert result.returncode == 0, result.stderr
    title = "Alipay puts 10 billion yuan behind merchants as traffic spreads across apps"
    rel = f"content/2022/{slugify(title)}.md"
    assert result.stdout.splitlines() == [rel]
    article = read(newsroom, rel)
    assert article.title == title
    assert article.date == dt.datetime(2022, 7, 23, tzinfo=ZONE)
    assert article.date.utcoffset() == dt.timedelta(hours=8)
    # The byline is the reporter the copy names; the outlet in the Author field is the credit.
    assert article.authors == ("Lu Xiao",)
    assert article.credit == "Huaxia Times"
    assert article.draft is True
    assert article.extra["image_caption"].startswith("He Yongming, vice president of Ant Group")
    assert article.extra["editors"] == ["Huang Xingli", "Han Feng"]
    assert "reporter" not in article.extra
    assert "## A race for the long run" in article.body
    assert "Carmaker" not in article.body


def test_time_is_read_in_the_zone_of_the_config_option(newsroom: Path) -> None:
    (newsroom / "ny.toml").write_text('timezone = "America/New_York"\n', encoding="utf-8")
    result = site(newsroom, "import", "wire/spaced-time.txt", "--config", "ny.toml", "--content", "articles")
    assert result.returncode == 0, result.stderr
    rel = result.stdout.strip()
    assert rel.startswith("articles/2023/")
    article = read(newsroom, rel, ZoneInfo("UTC"))
    assert article.date == dt.datetime(2023, 6, 18, 14, 30, tzinfo=ZoneInfo("America/New_York"))
    assert article.date.utcoffset() == dt.timedelta(hours=-4)


def test_chinese_story_gets_a_pinyin_path_and_readable_front_matter(newsroom: Path) -> None:
    result = site(newsroom, "import", "wire/chinese.txt")
    assert result.returncode == 0, result.stderr
    rel = result.stdout.strip()
    assert rel == f"content/2022/{slugify('支付宝投入百亿资源扶持商家')}.md"
    assert rel.isascii() and "zhi-fu-bao" in rel
    raw = (newsroom / rel).read_text(encoding="utf-8")
    assert "title: 支付宝投入百亿资源扶持商家" in raw and "\\u" not in raw
    article = read(newsroom, rel)
    assert article.authors == ("陆晓",) and article.credit == "华夏时报"
    assert article.date == dt.datetime(2022, 7, 23, 10, 15, tzinfo=ZONE)
    assert article.extra["editors"] == ["黄兴利", "韩锋"]
    assert article.lang == "zh"


def test_story_without_time_is_dated_today_with_a_note(newsroom: Path) -> None:
    before = dt.datetime.now(ZONE).date()
    result = site(newsroom, "import", "wire/no-time.txt")
    after = dt.datetime.now(ZONE).date()
    assert result.returncode == 0, result.stderr
    assert "wire/no-time.txt gives no time; dated today" in result.stderr
    article = read(newsroom, result.stdout.strip())
    assert before <= article.date.date() <= after
    assert article.date.tzinfo == ZONE


def test_several_files_are_imported_together(newsroom: Path) -> None:
    names = ["standard.txt", "source.txt", "odd-spacing.txt", "fullwidth.txt"]
    result = site(newsroom, "import", *(f"wire/{n}" for n in names))
    assert result.returncode == 0, result.stderr
    written = result.stdout.splitlines()
    assert len(written) == 4
    assert sorted(newsroom / rel for rel in written) == files_under(newsroom / "content")
    assert read(newsroom, written[1]).credit == "Huaxia Times"
    assert read(newsroom, written[1]).authors == ("Lu Xiao", "Chen Jing")
    assert all(read(newsroom, rel).draft for rel in written)
    assert "note: 4 drafts written" in result.stderr


def test_one_bad_file_means_nothing_is_written(newsroom: Path) -> None:
    (newsroom / "wire" / "latin1.txt").write_bytes("Headline\nAuthor: Jos\xe9\n".encode("latin-1"))
    result = site(newsroom, "import", "wire/standard.txt", "wire/no-header.txt", "wire/missing.txt", "wire/latin1.txt")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "error: wire/no-header.txt:2: expected a header line such as 'Author: NAME Time: 2022.07.23' after the headline" in lines
    assert "error: wire/missing.txt: cannot read file: No such file or directory" in lines
    assert any(line.startswith("error: wire/latin1.txt:2: not valid UTF-8") for line in lines)
    assert lines[-1] == "import failed, nothing was written: 3 problems"
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert files_under(newsroom / "content") == []


def test_two_files_with_one_headline_conflict(newsroom: Path) -> None:
    shutil.copy(newsroom / "wire" / "standard.txt", newsroom / "wire" / "copy.txt")
    result = site(newsroom, "import", "wire/standard.txt", "wire/copy.txt")
    assert result.returncode == 1
    assert "error: wire/copy.txt: would write content/2022/" in result.stderr
    assert "like wire/standard.txt" in result.stderr
    assert files_under(newsroom / "content") == []


def test_existing_article_is_kept_unless_forced(newsroom: Path) -> None:
    rel = site(newsroom, "import", "wire/source.txt").stdout.strip()
    target = newsroom / rel
    target.write_text("edited by hand\n", encoding="utf-8")

    refused = site(newsroom, "import", "wire/source.txt")
    assert refused.returncode == 1
    assert f"error: {rel}: already exists; use --force to replace it" in refused.stderr.splitlines()
    assert target.read_text(encoding="utf-8") == "edited by hand\n"

    forced = site(newsroom, "import", "--force", "wire/source.txt")
    assert forced.returncode == 0, forced.stderr
    assert read(newsroom, rel).title == "Tea growers take the spring harvest to live streams"


def test_bad_config_is_a_one_line_error(newsroom: Path) -> None:
    (newsroom / "site.toml").write_text('timezone = "Mars/Olympus"\n', encoding="utf-8")
    result = site(newsroom, "import", "wire/standard.txt")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("error: site.toml: timezone: unknown time zone 'Mars/Olympus'")
    assert "Traceback" not in result.stderr
    assert files_under(newsroom / "content") == []


def test_imported_articles_build_into_pages(newsroom: Path) -> None:
    assert site(newsroom, "import", "--publish", "wire/standard.txt", "wire/chinese.txt").returncode == 0
    result = site(newsroom, "build", "--quiet", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    pages = [p.read_text(encoding="utf-8") for p in (newsroom / "output").rglob("index.html")]
    assert any("支付宝投入百亿资源扶持商家" in page and "争夺用户注意力</h2>" in page for page in pages)
    assert any("Holding on to attention</h2>" in page for page in pages)


def test_imported_drafts_stay_off_the_site_until_published(newsroom: Path) -> None:
    assert site(newsroom, "import", "wire/standard.txt").returncode == 0
    result = site(newsroom, "build", "--jobs", "1", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "(1 draft not published)" in result.stdout
    assert not any("Holding on to attention" in p.read_text(encoding="utf-8") for p in (newsroom / "output").rglob("*.html"))


# --- new --------------------------------------------------------------------


def test_new_writes_a_complete_draft(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text('timezone = "Asia/Shanghai"\n', encoding="utf-8")
    before = dt.datetime.now(ZONE).replace(microsecond=0)
    result = site(tmp_path, "new", "City opens a new bus line", "--author", "Lu Xiao", "--author", "Chen Jing",
                  "--tags", "transport, city，buses", "--section", "City")
    after = dt.datetime.now(ZONE)
    assert result.returncode == 0, result.stderr
    rel = result.stdout.strip()
    assert rel == "content/city/city-opens-a-new-bus-line.md"  # beside the section's other stories
    raw = (tmp_path / rel).read_text(encoding="utf-8")
    assert "summary: ''" in raw and "draft: true" in raw
    assert raw.endswith("---\n\n")  # an empty line to start writing on, and a final newline
    article = read(tmp_path, rel, ZoneInfo("UTC"))
    assert article.title == "City opens a new bus line"
    assert article.draft is True
    assert article.authors == ("Lu Xiao", "Chen Jing")
    assert article.tags == ("transport", "city", "buses")
    assert article.section == "City"
    assert article.summary is None
    assert article.date.utcoffset() == dt.timedelta(hours=8)
    assert before <= article.date <= after


def test_new_with_a_chinese_headline_and_no_site_toml(tmp_path: Path) -> None:
    result = site(tmp_path, "new", "西湖夜市重新开张")
    assert result.returncode == 0, result.stderr
    rel = result.stdout.strip()
    assert rel.endswith(f"/{slugify('西湖夜市重新开张')}.md") and "xi-hu" in rel
    article = read(tmp_path, rel, ZoneInfo("Asia/Tokyo"))
    assert article.title == "西湖夜市重新开张"
    assert article.date.utcoffset() == dt.timedelta(0)
    assert article.authors == () and article.tags == ()


def test_new_slugs_an_apostrophe_as_part_of_its_word(tmp_path: Path) -> None:
    result = site(tmp_path, "new", "What's next for the city’s buses", "--section", "City Life")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "content/city-life/whats-next-for-the-citys-buses.md"


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    rel = site(tmp_path, "new", "Budget vote delayed").stdout.strip()
    (tmp_path / rel).write_text("my draft\n", encoding="utf-8")
    refused = site(tmp_path, "new", "Budget vote delayed")
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == f"error: {rel}: already exists; use --force to replace it"
    assert (tmp_path / rel).read_text(encoding="utf-8") == "my draft\n"
    forced = site(tmp_path, "new", "Budget vote delayed", "--force")
    assert forced.returncode == 0 and forced.stdout.strip() == rel
    assert read(tmp_path, rel, ZONE).draft is True


def test_new_rejects_an_empty_headline(tmp_path: Path) -> None:
    result = site(tmp_path, "new", "   ")
    assert result.returncode == 1
    assert "the headline is empty" in result.stderr and "Traceback" not in result.stderr
    assert files_under(tmp_path / "content") == []


def test_new_takes_the_time_from_an_injected_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site.toml").write_text('timezone = "Europe/London"\n', encoding="utf-8")
    args = make_parser().parse_args(["new", "Clocks go back"])
    london = ZoneInfo("Europe/London")
    assert args.run(args, clock=lambda zone: dt.datetime(2023, 10, 29, 1, 30, 15, 999, tzinfo=zone)) == 0
    rel = capsys.readouterr().out.strip()
    assert rel == "content/2023/clocks-go-back.md"
    assert "date: '2023-10-29T01:30:15+01:00'" in (tmp_path / rel).read_text(encoding="utf-8")
    # 01:30 happens twice that night; the written offset keeps the first one.
    assert read(tmp_path, rel, london).date == dt.datetime(2023, 10, 29, 0, 30, 15, tzinfo=dt.UTC)


def test_forced_writes_follow_no_planted_link(tmp_path: Path) -> None:
    rel = site(tmp_path, "new", "Budget vote delayed", "--section", "City").stdout.strip()
    target = tmp_path / rel
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n", encoding="utf-8")
    # Links where the old code put its temporary file, and in place of the article itself.
    (target.parent / f".{target.name}.tmp").symlink_to(outside)
    forced = site(tmp_path, "new", "Budget vote delayed", "--section", "City", "--force")
    assert forced.returncode == 0, forced.stderr
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    target.unlink()
    target.symlink_to(outside)
    forced = site(tmp_path, "new", "Budget vote delayed", "--section", "City", "--force")
    assert forced.returncode == 0, forced.stderr
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    assert not target.is_symlink() and "draft: true" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == [f".{target.name}.tmp", target.name]  # nothing left behind


def test_publish_writes_published_articles(newsroom: Path) -> None:
    result = site(newsroom, "import", "--publish", "wire/source.txt")
    assert result.returncode == 0, result.stderr
    raw = (newsroom / result.stdout.strip()).read_text(encoding="utf-8")
    assert "draft:" not in raw and read(newsroom, result.stdout.strip()).draft is False
    assert "draft" not in result.stderr


def test_a_caption_without_a_photo_is_kept_and_named_in_the_summary(newsroom: Path) -> None:
    result = site(newsroom, "import", "wire/standard.txt", "wire/no-time.txt")
    assert result.returncode == 0, result.stderr
    standard, _undated = result.stdout.splitlines()
    assert read(newsroom, standard).extra["image_caption"].startswith("He Yongming")
    assert f"note: wire/standard.txt has a photo caption but no photo; kept as image_caption in {standard}" in result.stderr
    assert "no-time.txt has a photo caption" not in result.stderr  # it has none


REAL_WIRE = Path("/work/shared/examples/wire-copy")


@pytest.mark.skipif(not REAL_WIRE.is_dir(), reason="the newsroom's sample wire copy is not on this machine")
def test_real_wire_copy_is_bylined_to_its_reporter_and_credited_to_its_outlet(tmp_path: Path) -> None:
    files = sorted(REAL_WIRE.glob("*.txt"))
    result = site(tmp_path, "import", *map(str, files))
    assert result.returncode == 0, result.stderr
    written = result.stdout.splitlines()
    assert len(written) == len(files)
    first = read(tmp_path, written[0])
    assert first.authors == ("Lu Xiao",) and first.credit == "Huaxia Times"
    assert first.extra["dateline"] == "Hangzhou" and first.draft is True
    assert "has a photo caption but no photo" in result.stderr
    # Built with drafts shown: "By Lu Xiao, Huaxia Times", and the outlet in the JSON-LD.
    built = site(tmp_path, "build", "--drafts", "--no-search", "-q", "--templates", str(THEME_DIR))
    assert built.returncode == 0, built.stderr
    page = next((tmp_path / "output" / "2022" / "07" / "23").glob("*/index.html")).read_text(encoding="utf-8")
    assert re.search(r'<p class="byline">By <a [^>]*>Lu Xiao</a>, <span class="byline-source">Huaxia Times</span></p>', page)
    assert '"sourceOrganization": {"@type": "Organization", "name": "Huaxia Times"}' in page
