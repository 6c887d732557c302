"""The preview builds into a folder of its own: the deploy folder and the deploy build's state are never touched.

Real server processes and sockets: the site has a draft and a scheduled story, is built
for deployment, previewed and edited while the preview runs; output/ and the deploy
build's cache stay byte-identical, and the preview's own folder has the drafts and a
search index that follows the edits.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from serve_support import PREVIEW, SITE_PY, article_text, article_url, make_site, raw_get, running_server, wait_until
from sitekit import tree
from test_search import fragments

DRAFT = '---\ntitle: "Embargoed merger talks"\ndate: 2025-03-10T09:00:00+00:00\ndraft: true\n---\n\nEMBARGOED-DRAFT-TEXT.\n'
LATER = '---\ntitle: "Not yet"\ndate: 2999-01-02T09:00:00+00:00\n---\n\nSCHEDULED-STORY-TEXT.\n'



def build(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(SITE_PY), "build", "--quiet", "--jobs", "1", *args], cwd=site, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result


def indexed(folder: Path) -> dict[str, str]:
    """The preview's search index, every shard: page URL → indexed text of its current fragment (``fragments``)."""
    return {"/" + url.lstrip("/"): data["content"] for url, data in fragments(folder / "pagefind").items()}


def test_serve_never_writes_the_deploy_folder_or_its_state(tmp_path: Path) -> None:
    make_site(tmp_path)
    (tmp_path / "content" / "city" / "draft.md").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "content" / "city" / "later.md").write_text(LATER, encoding="utf-8")
    build(tmp_path, "--no-search")
    deployed = tree(tmp_path / "output")
    state = tree(tmp_path / ".broadsheet-cache", skip=("preview/", "build.lock"))
    assert deployed and state

    story = tmp_path / "content" / "culture" / "story-002.md"
    with running_server(tmp_path, search=True) as server:
        preview = tmp_path / PREVIEW
        status, body = raw_get(server.port, "/2025/03/10/draft/")
        assert status == 200 and b"EMBARGOED-DRAFT-TEXT" in body
        assert b"SCHEDULED-STORY-TEXT" in raw_get(server.port, "/2999/01/02/later/")[1]
        assert (preview / "2025/03/10/draft/index.html").is_file()
        assert f"http://127.0.0.1:{server.port}/".encode() in (preview / "index.html").read_bytes()

        # The preview has search: its index holds the drafts and follows each edit.
        server.wait_for_line(r"search index updated: 8 pages")
        assert "EMBARGOED-DRAFT-TEXT." in indexed(preview)["/2025/03/10/draft/"]
        mark = len(server.seen)
        story.write_text(article_text("Story number 2", 3, "PREVIEW-EDIT-TEXT.", "Culture"), encoding="utf-8")
        wait_until(lambda: b"PREVIEW-EDIT-TEXT" in raw_get(server.port, article_url(2))[1])
        server.wait_for_line(r"search index updated", after=mark)
        assert "PREVIEW-EDIT-TEXT." in indexed(preview)[article_url(2)]

        assert tree(tmp_path / "output") == deployed
        assert tree(tmp_path / ".broadsheet-cache", skip=("preview/", "build.lock")) == state
    assert tree(tmp_path / "output") == deployed
    assert not any(b"EMBARGOED-DRAFT-TEXT" in data or b"127.0.0.1" in data for data in deployed.values())

    # The next deploy build is exactly a clean build of the edited site: nothing of the preview leaked into its state.
    build(tmp_path, "--no-search")
    clean = tmp_path.parent / f"{tmp_path.name}-clean"
    shutil.copytree(tmp_path / "content", clean / "content")
    shutil.copy2(tmp_path / "site.toml", clean / "site.toml")
    build(clean, "--no-search")
    after = tree(tmp_path / "output")
    assert after == tree(clean / "output")
    assert not any(b"EMBARGOED-DRAFT-TEXT" in data for data in after.values())


def test_serve_with_no_search_leaves_the_index_out(tmp_path: Path) -> None:
    make_site(tmp_path)
    with running_server(tmp_path) as server:
        assert raw_get(server.port, "/")[0] == 200
        assert not (tmp_path / PREVIEW / "pagefind").exists()
        assert not any("search index" in line for line in server.seen)
    assert not (tmp_path / "output").exists()


def test_a_second_preview_of_the_site_is_refused(tmp_path: Path) -> None:
    make_site(tmp_path)
    with running_server(tmp_path) as server:
        result = subprocess.run(
            [sys.executable, str(SITE_PY), "serve", "--port", str(server.port + 1), "--no-search"],
            cwd=tmp_path, capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 75
        assert result.stderr == f"error: another preview of this site is running (pid {server.process.pid}); try again when it has finished\n"
        assert server.process.poll() is None
