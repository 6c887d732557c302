"""Search indexing begun early, by the forked child that reads a rebuild's edits (``outputs/search_early.py``).

The child forks only in a process with no other thread, as ``site.py build`` is; a pytest worker
may hold threads other tests left (a preview's), so each case runs its builds in a fresh Python
process, where the early indexing is sure to be tried: a script that applies
edits, builds the way the command line does (a new builder each time, the snapshot read from
disk), and compares the index with a from-scratch one after every step, byte for byte as
``test_search.py`` does. It prints, per step, the edit and whether the early indexing was used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

TESTS = Path(__file__).resolve().parent

SCRIPT = textwrap.dedent(
    """
    import json, random, sys
    from pathlib import Path
    from broadsheet.build import Builder
    from sitekit import write_files
    from test_search import mutate, same_as_fresh, search_options, story

    site, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    content = site / "content"
    counter = [0]
    for _ in range(6):
        counter[0] += 1
        write_files(content, {f"s{counter[0]}.md": story(rng, counter[0], rng.randint(1, 3))})
    Builder(search_options(site)).build()
    steps = []
    for step in range(10):
        if step == 7:  # another shard's files lost: the plan builds two shards, the child guessed one
            victim = sorted((site / "output" / "pagefind").glob("*/pagefind-entry.json"))[0]
            victim.unlink()
            done = "lost shard, " + mutate(random.Random(1), content, counter)
        elif step % 2:
            done = mutate(rng, content, counter)
        else:  # a correction to a published story: the case the early indexing is for
            files = [p for p in sorted(content.glob("*.md")) if "draft: true" not in p.read_text("utf-8") and '"2025-' not in p.read_text("utf-8")]
            path = rng.choice(files)
            path.write_text(path.read_text("utf-8") + f"\\nA correction about the ferry fare{step}q.\\n", "utf-8")
            done = "body"
        report = Builder(search_options(site)).build()
        got, expected = same_as_fresh(site, site.parent / "fresh")
        if got != expected:
            print(json.dumps({"step": step, "done": done, "differ": sorted(k for k in got.keys() | expected.keys() if got.get(k) != expected.get(k))[:3]}))
            sys.exit(1)
        steps.append({"done": done, "early": report.search_early, "shards": report.search_shards})
    print(json.dumps(steps))
    """
)


def run_steps(tmp_path: Path, seed: int) -> list[dict[str, object]]:
    site = tmp_path / "site"
    site.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS.parent), str(TESTS)])}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(site), str(seed)], env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_correction_is_indexed_by_the_child_and_the_index_equals_a_fresh_one(tmp_path: Path) -> None:
    steps = run_steps(tmp_path, 11)
    corrections = [step for step in steps if step["done"] == "body"]
    assert corrections and all(step["early"] and step["shards"] == 1 for step in corrections), steps
    # Anything but a content edit takes the full path, and a wrong guess is not used.
    assert not any(step["early"] for step in steps if step["done"] != "body"), steps
    assert any(str(step["done"]).startswith("lost shard") for step in steps)


def test_random_edits_with_early_indexing_keep_the_index_equal_to_a_fresh_one(tmp_path: Path) -> None:
    steps = run_steps(tmp_path, 12)
    assert any(step["early"] for step in steps), steps
