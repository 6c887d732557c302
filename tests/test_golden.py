"""Golden test: the fixture site in ``tests/golden/site`` builds to exactly the bytes in ``tests/golden/expected``.

Any change to what the build writes shows up here as a list of files. If the
change is intended, regenerate the expected folder and review it with
``git diff tests/golden/expected`` before committing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from golden.golden import ENGINES, HERE, REGENERATE, SITE, build_site, expected, output_files

SHOWN = 15


def differences(actual: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    """One line per file that differs, is missing from ``actual`` or is extra in it."""
    lines = [f"differs: {rel}" for rel in sorted(actual.keys() & expected.keys()) if actual[rel] != expected[rel]]
    lines += [f"missing: {rel} (expected, not built)" for rel in sorted(expected.keys() - actual.keys())]
    lines += [f"extra:   {rel} (built, not expected)" for rel in sorted(actual.keys() - expected.keys())]
    return lines


def regenerate_into(target: Path, hash_seed: str, engine: str) -> dict[str, bytes]:
    """The fixture built by the regeneration script in a fresh interpreter, into ``target``."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, str(HERE / "regenerate.py"), str(target), engine],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    return output_files(target)


@pytest.fixture(scope="module", params=ENGINES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], str]:
    """The fixture built with each Markdown engine in turn."""
    output = tmp_path_factory.mktemp("golden") / "output"
    build_site(output, request.param)
    return output, output_files(output), request.param


def test_build_matches_the_checked_in_output(built: tuple[Path, dict[str, bytes], str]) -> None:
    _output, actual, engine = built
    folder = expected(engine)
    checked_in = output_files(folder)
    assert checked_in, f"{folder} is empty; run: {REGENERATE}"
    problems = differences(actual, checked_in)
    if problems:
        more = [f"... and {len(problems) - SHOWN} more"] if len(problems) > SHOWN else []
        pytest.fail(
            "the golden site's output changed:\n  " + "\n  ".join(problems[:SHOWN] + more)
            + f"\nIf the change is intended, run `{REGENERATE}` and review `git diff tests/golden/expected`.",
            pytrace=False,
        )


def test_output_holds_no_local_paths(built: tuple[Path, dict[str, bytes], str]) -> None:
    output, actual, _engine = built
    local = [os.fsencode(path) for path in (output.parent, SITE.parents[2])]  # the build folder, the checkout
    leaks = [rel for rel, data in actual.items() if any(path in data for path in local)]
    assert not leaks, f"absolute local paths in {leaks}"


def test_build_is_the_same_in_other_folders_and_processes(tmp_path: Path, built: tuple[Path, dict[str, bytes], str]) -> None:
    _output, actual, engine = built
    for seed in ("1", "2"):
        other = regenerate_into(tmp_path / f"seed-{seed}" / "site", seed, engine)
        assert differences(other, actual) == [], f"PYTHONHASHSEED={seed}"


def test_fixture_covers_what_it_is_for(built: tuple[Path, dict[str, bytes], str]) -> None:
    """Guards the fixture itself: a regenerated expected folder cannot quietly lose a case."""
    _output, files, _engine = built
    pages = {rel: data.decode("utf-8") for rel, data in files.items() if rel.endswith(".html")}
    everything = "\n".join(pages.values())
    assert "bakery" not in everything.lower(), "the draft was published"
    assert "2024/03/15/bank-holds-rates/index.html" in pages, "date from the file name"
    rates = pages["2024/03/15/bank-holds-rates/index.html"]
    assert 'src="/news/static/images/rates-chart.' in rates, "lead image from the site's static folder"
    assert '<span class="byline-role">, Economics editor</span> and <a href="/news/authors/bob-roe/"' in rates
    assert "sections/business/index.html" in pages and "sections/city/index.html" in pages
    assert "tags/economy/page/2/index.html" in pages, "'Economy' and 'economy' are one tag across three stories"
    assert "<table>" in pages["2024/04/02/market-stall-fees/index.html"]
    assert 'class="footnote"' in pages["2024/04/02/market-stall-fees/index.html"]
    assert 'lang="zh-Hans"' in pages["2024/04/03/metro-line-opens/index.html"]
    front = pages["index.html"]
    assert "What the bank said" not in front and "the third hold in a row" in everything, "summary cut at <!--more-->"


def test_the_engines_differ_only_where_the_dialects_do() -> None:
    """The fixture's Markdown means the same in both dialects: the checked-in outputs differ only by the
    blank line Python-Markdown leaves after a raw HTML block (``<!--more-->``), in pages and in feeds."""
    outputs = [output_files(expected(engine)) for engine in ENGINES]
    assert outputs[0].keys() == outputs[1].keys()
    differing = {rel for rel in outputs[0] if outputs[0][rel] != outputs[1][rel]}
    assert "2024/03/15/bank-holds-rates/index.html" in differing and "2024/04/02/market-stall-fees/index.html" not in differing

    def blank_lines_after_html_closed(data: bytes) -> bytes:
        for closed, blank in ((b"-->\n\n<", b"-->\n<"), (b"--&gt;\n\n&lt;", b"--&gt;\n&lt;"), (b"-->\\n\\n<", b"-->\\n<")):
            data = data.replace(closed, blank)
        return data

    assert [rel for rel in sorted(differing)
            if blank_lines_after_html_closed(outputs[0][rel]) != blank_lines_after_html_closed(outputs[1][rel])] == []
