"""The preview server over real sockets: serving, live-reload wiring, traversal, errors, shutdown."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from serve_support import (
    PREVIEW,
    SITE_PY,
    ServerProcess,
    article_text,
    article_url,
    free_port,
    make_site,
    raw_get,
    running_server,
    wait_for_status,
    wait_until,
)

from broadsheet.build import Builder, BuildOptions, BuildReport
from broadsheet.errors import SiteError
from broadsheet.preview.serve import Preview
from broadsheet.preview.watch import WatchfilesWatcher


@pytest.fixture
def site(tmp_path: Path) -> Path:
    make_site(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server for the tests that only read from it."""
    root = tmp_path_factory.mktemp("served")
    make_site(root)
    with running_server(root) as running:
        yield running


def test_serves_built_pages_with_the_livereload_script(server: ServerProcess) -> None:
    status, body = raw_get(server.port, "/")
    assert status == 200
    assert b"Story number 0" in body
    assert b"/livereload.js" in body
    status, body = raw_get(server.port, article_url(3))
    assert status == 200
    assert b"Original body of story 3." in body
    status, js = raw_get(server.port, "/livereload.js")
    assert status == 200 and b"LiveReload" in js
    assert raw_get(server.port, "/static/css/site.css")[0] == 200


def test_missing_page_gets_the_site_404_page(server: ServerProcess) -> None:
    status, body = raw_get(server.port, "/no/such/page/")
    assert status == 404
    page = (server.site / PREVIEW / "404.html").read_bytes()
    title = re.search(rb"<title>.*?</title>", page)
    assert title and title[0] in body
    assert b"/livereload.js" in body


@pytest.mark.parametrize(
    "target",
    [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/site.toml",
        "/static/..%2f..%2fsite.toml",
        "/static/%2e%2e/%2e%2e/site.toml",
        "/static/../../site.toml",
        "/..%5csite.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/static/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/.broadsheet-manifest.json",
        "/site.toml%00.html",
    ],
)
def test_paths_outside_the_output_folder_are_refused(server: ServerProcess, target: str) -> None:
    status, body = raw_get(server.port, target)
    assert status in (403, 404)
    assert b"preview-secret-marker" not in body
    assert b"root:" not in body


def test_listens_on_loopback_only_by_default(server: ServerProcess) -> None:
    assert _listening_addresses("/proc/net/tcp", server.port) == {"0100007F"}  # 127.0.0.1 only
    assert _listening_addresses("/proc/net/tcp6", server.port) == set()


def _listening_addresses(table: str, port: int) -> set[str]:
    """Local addresses (kernel hex form) of sockets listening on ``port``."""
    path = Path(table)
    if not path.exists():
        return set()
    found = set()
    for line in path.read_text().splitlines()[1:]:
        cols = line.split()
        address, hex_port = cols[1].split(":")
        if cols[3] == "0A" and int(hex_port, 16) == port:
            found.add(address)
    return found


def test_broken_article_shows_an_error_page_until_fixed(site: Path) -> None:
    path = site / "content" / "city" / "story-001.md"
    good = path.read_text(encoding="utf-8")
    with running_server(site) as server:
        path.write_text(good.replace("date: 2025-03-02T09:00:00+00:00", "date: <b>someday</b>"), encoding="utf-8")

        text = wait_for_status(server.port, article_url(1), 500).decode()
        assert re.search(r"content/city/story-001\.md:\d+: date", text)
        assert "<b>someday" not in text and "&lt;b&gt;someday" in text
        assert "/livereload.js" in text
        assert raw_get(server.port, "/")[0] == 500
        assert raw_get(server.port, "/static/css/site.css")[0] == 200
        assert (site / PREVIEW / article_url(1).strip("/") / "index.html").is_file()
        server.wait_for_line(r"error: content/city/story-001\.md")

        path.write_text(good.replace("Original body", "Fixed body"), encoding="utf-8")
        assert b"Fixed body" in wait_for_status(server.port, article_url(1), 200)
        assert raw_get(server.port, "/")[0] == 200
        assert server.process.poll() is None


def test_bad_yaml_is_reported_with_file_and_line(site: Path) -> None:
    path = site / "content" / "business" / "story-000.md"
    with running_server(site) as server:
        path.write_text('---\ntitle: "Unclosed\ntags: [a, b\n---\n\nBody.\n', encoding="utf-8")
        body = wait_for_status(server.port, "/", 500)
        assert b"content/business/story-000.md:" in body
        assert b"not valid YAML" in body


def test_edit_to_one_article_rebuilds_it(site: Path) -> None:
    path = site / "content" / "culture" / "story-002.md"
    with running_server(site) as server:
        mark = len(server.seen)
        path.write_text(article_text("Story number 2", 3, "A rewritten paragraph.", "Culture"), encoding="utf-8")
        wait_until(lambda: b"A rewritten paragraph." in raw_get(server.port, article_url(2))[1])
        server.wait_for_line(r"built \(content/culture/story-002\.md changed\)", after=mark)


def test_one_article_edit_renders_only_its_dependents(tmp_path: Path) -> None:
    make_site(tmp_path, articles=30)
    path = tmp_path / "content" / "city" / "story-004.md"
    with running_server(tmp_path) as server:
        mark = len(server.seen)
        path.write_text(path.read_text(encoding="utf-8").replace("Original body", "Edited body"), encoding="utf-8")
        match = server.wait_for_line(r"built \(.*changed\) .* (\d+) pages, (\d+) rendered, (\d+) written", after=mark)
        pages, rendered, written = int(match[1]), int(match[2]), int(match[3])
        assert pages > 60
        assert 1 <= written <= rendered <= pages // 5


def test_port_in_use_is_a_one_line_error(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, str(SITE_PY), "serve", "--port", str(port)], cwd=site, capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 1
    assert result.stderr == f"error: port {port} on 127.0.0.1 is already in use; try --port {port + 1}\n"
    assert not (site / "output").exists()
    assert not (site / PREVIEW).exists()


def test_ctrl_c_stops_cleanly(site: Path) -> None:
    with running_server(site) as server:
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=15) == 130  # Ctrl-C, as the README documents
        server.wait_for_line(r"^stopped$")
        assert not any("Traceback" in line for line in server.seen)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", server.port))  # the port is free again


def test_serve_offers_only_options_that_do_something_there() -> None:
    result = subprocess.run([sys.executable, str(SITE_PY), "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    offered = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", result.stdout))
    assert {"--no-drafts", "--no-future", "--port", "--host", "--base-url", "--no-search"} <= offered
    assert not offered & {"--drafts", "--future", "--full", "--output"}


def test_drafts_and_future_articles_are_shown_with_a_banner(site: Path) -> None:
    (site / "content" / "city" / "draft.md").write_text(
        '---\ntitle: "Half written"\ndate: 2025-03-10T09:00:00+00:00\ndraft: true\n---\n\nDraft body.\n', encoding="utf-8"
    )
    (site / "content" / "city" / "later.md").write_text(
        '---\ntitle: "Not yet"\ndate: 2999-01-02T09:00:00+00:00\n---\n\nLater body.\n', encoding="utf-8"
    )
    with running_server(site) as server:
        status, body = raw_get(server.port, "/2025/03/10/draft/")
        assert status == 200 and "Draft — not published".encode() in body
        status, body = raw_get(server.port, "/2999/01/02/later/")
        assert status == 200 and b"Scheduled for" in body and b"2999" in body
        status, body = raw_get(server.port, article_url(0))
        assert b"preview-banner" not in body
    port = free_port()
    with running_server(site, "--no-drafts", "--no-future", port=port) as server:
        assert raw_get(server.port, "/2025/03/10/draft/")[0] == 404
        assert raw_get(server.port, "/2999/01/02/later/")[0] == 404


def test_watcher_reports_changed_files_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    watched = tmp_path / "content"
    watched.mkdir()
    config = tmp_path / "site.toml"
    seen: list[list[str]] = []

    async def scenario() -> tuple[str | None, float | None]:
        watcher = WatchfilesWatcher(ignore_paths=[tmp_path / "output"])
        watcher.watch(str(watched), seen.append)
        watcher.watch(str(config), seen.append)
        changed = asyncio.Event()
        watcher.start(changed.set)
        await watcher.ready()
        (watched / "a.md").write_text("a", encoding="utf-8")
        (tmp_path / "output").mkdir()
        (tmp_path / "output" / "ignored.html").write_text("x", encoding="utf-8")
        (tmp_path / "unrelated.txt").write_text("x", encoding="utf-8")
        await asyncio.wait_for(changed.wait(), 10)
        first = watcher.examine()
        changed.clear()
        config.write_text("title = 'x'\n", encoding="utf-8")
        await asyncio.wait_for(changed.wait(), 10)
        second = watcher.examine()
        watcher.stop()
        await asyncio.wait_for(watcher.wait_stopped(), 10)
        assert watcher.examine() == (None, None)
        return first, second

    first, second = asyncio.run(scenario())
    assert first == ("content/a.md", None)
    assert second == ("site.toml", None)
    assert seen == [[str((watched / "a.md").resolve())], [str(config.resolve())]]


def test_template_and_settings_changes_rebuild(site: Path) -> None:
    templates = site / "templates" / "partials"
    templates.mkdir(parents=True)
    with running_server(site) as server:
        (templates / "byline.html").write_text('<span class="byline">Filed by the night desk</span>\n', encoding="utf-8")
        wait_until(lambda: b"Filed by the night desk" in raw_get(server.port, article_url(4))[1])
        (site / "site.toml").write_text('title = "Renamed Daily"\n', encoding="utf-8")
        wait_until(lambda: b"Renamed Daily" in raw_get(server.port, "/")[1])
        (site / "site.toml").write_text('title = "Renamed Daily"\nper_page = "many"\n', encoding="utf-8")
        body = wait_for_status(server.port, "/", 500)
        assert b"site.toml" in body and b"per_page" in body


def test_other_host_names_are_refused_on_loopback(server: ServerProcess) -> None:
    def get(host: str) -> int:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(f"GET / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
            return int(sock.recv(64).split()[1])

    assert get("attacker.example:80") == 403
    assert get(f"localhost:{server.port}") == 200
    assert get(f"[::1]:{server.port}") == 200


def test_when_a_watched_folder_appears_every_watched_folder_is_reported_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The recursive watch starts again on the new set of folders, and a save made meanwhile is not seen:
    so the report names every watched folder, and a kept builder lists and stats all its sources again."""
    from broadsheet.pipeline.listing import ContentListing

    monkeypatch.chdir(tmp_path)
    content, templates = tmp_path / "content", tmp_path / "templates"
    content.mkdir()
    (content / "a.md").write_text("a", encoding="utf-8")
    seen: list[list[str]] = []

    async def scenario() -> None:
        watcher = WatchfilesWatcher()
        watcher.watch(str(content), seen.append)
        watcher.watch(str(templates), seen.append)
        changed = asyncio.Event()
        watcher.start(changed.set)
        await watcher.ready()
        (templates / "partials").mkdir(parents=True)
        for _ in range(50):  # the folder's own event, then the report of the watch started again
            await asyncio.wait_for(changed.wait(), 10)
            changed.clear()
            watcher.examine()
            if any(str(content.resolve()) in paths for paths in seen):
                break
        watcher.stop()
        await asyncio.wait_for(watcher.wait_stopped(), 10)

    asyncio.run(scenario())
    reported = [path for paths in seen for path in paths]
    assert str(content.resolve()) in reported and str(templates.resolve()) in reported
    assert ContentListing.of(Path("content")).after(Path("content"), reported) is None


def test_links_out_of_the_output_folder_are_not_followed(server: ServerProcess) -> None:
    link = server.site / PREVIEW / "linked"
    link.symlink_to(server.site, target_is_directory=True)
    try:
        status, body = raw_get(server.port, "/linked/site.toml")
        assert status == 404
        assert b"preview-secret-marker" not in body
    finally:
        link.unlink()


def test_head_request_on_the_error_page_has_no_body(site: Path) -> None:
    path = site / "content" / "city" / "story-001.md"
    with running_server(site) as server:
        path.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
        wait_for_status(server.port, "/", 500)
        status, body = raw_get(server.port, "/", method="HEAD")
        assert status == 500 and body == b""


def test_folders_created_while_serving_are_watched(site: Path) -> None:
    with running_server(site) as server:
        partials = site / "templates" / "partials"
        partials.mkdir(parents=True)
        (partials / "byline.html").write_text('<span class="byline">From the new folder</span>\n', encoding="utf-8")
        wait_until(lambda: b"From the new folder" in raw_get(server.port, article_url(4))[1])
        (partials / "byline.html").write_text('<span class="byline">Edited in the new folder</span>\n', encoding="utf-8")
        wait_until(lambda: b"Edited in the new folder" in raw_get(server.port, article_url(4))[1])


def test_preview_keeps_one_builder_and_its_cache_across_rebuilds(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site)
    outcomes: list[tuple[BuildReport | None, list[SiteError], Sequence[str]]] = []
    preview = Preview(Builder(BuildOptions(jobs=1, cache_dir=None)), lambda *outcome: outcomes.append(outcome))
    preview.rebuild()
    path = site / "content" / "city" / "story-001.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("Original body", "Changed body"), encoding="utf-8")
    preview.rebuild([str(path)])
    path.write_text("---\ntitle: [oops\n---\n", encoding="utf-8")
    preview.rebuild([str(path)])
    assert preview.errors and preview.errors[0].path == "content/city/story-001.md"
    path.write_text(good, encoding="utf-8")
    preview.rebuild([str(path)])
    assert preview.errors == []

    first, edited, broken, fixed = outcomes
    assert first[0] is not None and first[0].markdown_cached == 0
    assert edited[0] is not None and edited[0].markdown_cached == edited[0].articles - 1
    assert edited[2] == [str(path)]
    assert broken[0] is None and "not valid YAML" in broken[1][0].message
    assert fixed[0] is not None and fixed[0].markdown_cached == fixed[0].articles


def _socket_status(port: int, origin: str, host: str | None = None) -> int:
    """The status of a live-reload websocket handshake sent with this Origin (and Host)."""
    request = (
        f"GET /livereload HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode("latin-1"))
        head = sock.recv(4096)
    return int(head.split(b" ", 2)[1])


def test_reload_socket_takes_only_this_sites_pages(server: ServerProcess) -> None:
    port = server.port
    assert _socket_status(port, f"http://127.0.0.1:{port}") == 101
    assert _socket_status(port, f"http://localhost:{port}") == 101
    assert _socket_status(port, "https://evil.example") == 403  # any page open in the browser could listen
    assert _socket_status(port, "null") == 403
    assert _socket_status(port, f"http://127.0.0.1:{port}", host="evil.example") == 403


@pytest.mark.parametrize("target", ["/livereload.js", "/forcereload", "/"])
def test_live_reload_endpoints_refuse_a_foreign_host(server: ServerProcess, target: str) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.0\r\nHost: evil.example\r\n\r\n".encode("latin-1"))
        head = sock.recv(4096)
    assert int(head.split(b" ", 2)[1]) == 403


def test_reload_messages_do_not_name_the_saved_story(site: Path) -> None:
    from tornado.websocket import websocket_connect

    with running_server(site) as server:
        async def listen() -> list[str]:
            url = f"ws://127.0.0.1:{server.port}/livereload"
            from tornado.httpclient import HTTPRequest

            conn = await websocket_connect(HTTPRequest(url, headers={"Origin": f"http://127.0.0.1:{server.port}"}))
            conn.write_message('{"command": "hello"}')
            await conn.read_message()
            conn.write_message('{"command": "info", "url": "http://127.0.0.1/"}')
            await asyncio.sleep(0.5)
            story = next((site / "content").rglob("*.md"))
            story.write_text(story.read_text(encoding="utf-8") + "\nA secret sentence.\n", encoding="utf-8")
            message = await asyncio.wait_for(conn.read_message(), 30)
            conn.close()
            return [str(message), story.name]

        message, name = asyncio.run(listen())
    assert '"command": "reload"' in message
    assert '"path": "*"' in message and name not in message
