"""Preview server: serve the preview folder with livereload, rebuild when a source changes.

One ``Builder`` stays alive across rebuilds, so its cache stays in memory and
only what changed is redone. This module knows nothing of pages or templates:
it calls ``Builder.build()`` and serves what the build wrote. The builder's
output is the preview's own folder, never the deploy folder (the command sets
that up); its search index is kept up to date by the builds themselves (each
rebuild re-indexes only the month shards its edits touch), after the pages are
in place and the tab told to reload.

While the last build is failing, the output on disk is the previous good one
(the builder guarantees that) and every HTML request gets an error page
naming each problem instead; it carries the livereload script too, so the tab
reloads by itself once the file is fixed.
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.web import HTTPError

from broadsheet.build import Builder, BuildReport
from broadsheet.errors import BuildFailed, SiteBusy, SiteError
from broadsheet.model.config import Settings
from broadsheet.outputs.output import Output
from broadsheet.outputs.search import staging_folder
from broadsheet.pipeline.lock import holding
from broadsheet.preview.watch import WatchfilesWatcher
from broadsheet.theme import THEME_DIR, THEME_STATIC

logger = logging.getLogger("broadsheet")

# Told the outcome of every build: (report, [], changed) on success, (None, errors, changed)
# on failure; ``changed`` lists the files that set it off (none for the first build).
BuildListener = Callable[[BuildReport | None, list[SiteError], Sequence[str]], None]


class CannotListen(OSError):
    """The server could not listen on the address asked for (``errno`` says why)."""


# Seconds between attempts to rebuild while another build of the site holds its lock.
RETRY_SECONDS = 1.0


# Told when a build's search index is in place (``index_after_commit``): (report, []) or (report, errors).
IndexListener = Callable[[BuildReport, list[SiteError]], None]


class Preview:
    """A builder kept alive across rebuilds, and the outcome of its last build.

    With ``index_after_commit`` set in the builder's options, a build returns once its pages are
    committed, so that the tab reloads at once; its search index is finished in a thread, and
    ``indexed`` is told when it is in place. The next build waits for it first (``settle``).
    """

    def __init__(self, builder: Builder, listener: BuildListener, indexed: IndexListener | None = None) -> None:
        self.builder = builder
        self.listener = listener
        self.indexed = indexed
        self.indexing: threading.Thread | None = None
        self.errors: list[SiteError] = []
        # Set by the server: call a function later on its event loop, and tell open tabs to reload.
        self.later: Callable[[float, Callable[[], None]], object] | None = None
        self.reload: Callable[[], None] = lambda: None
        self._retrying = False

    def settle(self) -> None:
        """Wait until the last build's search index is in place."""
        if self.indexing is not None:
            self.indexing.join()
            self.indexing = None

    def _index(self, report: BuildReport) -> None:
        later = report.index_later
        try:
            later.run()
        except Exception as exc:  # never let the thread die silently: the next build indexes again
            logger.exception("internal error while indexing for search")
            errors = [SiteError("search", f"internal error: {type(exc).__name__}: {exc}")]
        else:
            errors = later.error.errors if later.error is not None else []
        if self.indexed is not None:
            self.indexed(report, errors)

    def rebuild(self, changed: Sequence[str] = ()) -> None:
        """Build again; never raises, so a broken file cannot stop the server."""
        self.settle()
        try:
            # The paths the watcher saw change (none: a first build, or one set off by the clock).
            report = self.builder.build(changed=list(changed) if changed else None)
        except BuildFailed as failed:
            self.errors = failed.errors
        except SiteBusy as busy:
            # Another build of the site (a 'site.py build') holds the lock: say so, and try again soon.
            self.errors = [SiteError("build", f"{busy}; the preview builds again once it has finished")]
            self._retry(changed)
        except Exception as exc:
            logger.exception("internal error while building")
            self.errors = [SiteError("build", f"internal error: {type(exc).__name__}: {exc}")]
        else:
            self.errors = []
            self.listener(report, [], changed)
            if report.index_later is not None:
                self.indexing = threading.Thread(target=self._index, args=(report,), name="search index", daemon=True)
                self.indexing.start()
            return
        self.listener(None, self.errors, changed)

    def _retry(self, changed: Sequence[str]) -> None:
        if self.later is None or self._retrying:
            return
        self._retrying = True

        def again() -> None:
            self._retrying = False
            self.rebuild(changed)
            self.reload()

        self.later(RETRY_SECONDS, again)

    def watched_paths(self) -> list[Path]:
        """Everything a build reads: content, templates, static files, settings, the theme."""
        options = self.builder.options
        try:
            settings = self.builder.settings()
        except BuildFailed:
            settings = Settings()
        return [options.content, options.templates, Path(settings.static_dir), options.config, THEME_DIR, THEME_STATIC]


class PreviewFileHandler(StaticFileHandler):
    """Serves files from the output folder only; an error page while the build is failing."""

    def initialize(  # type: ignore[override]
        self, path: str, default_filename: str | None = None, preview: Preview | None = None, hosts: frozenset[str] = frozenset()
    ) -> None:
        super().initialize(path, default_filename)
        assert preview is not None
        self.preview = preview
        self.hosts = hosts

    def prepare(self) -> None:
        _check_host(self, self.hosts)

    async def get(self, path: str, include_body: bool = True) -> None:
        if not is_safe_path(path):
            raise HTTPError(404)
        if self.preview.errors and is_page_path(path):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(error_page(self.preview.errors) if include_body else b"")
            return
        await super().get(path, include_body)

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        """Like tornado's check, but after resolving links: nothing outside the output folder."""
        real_root, real = os.path.realpath(root), os.path.realpath(absolute_path)
        if real != real_root and not real.startswith(real_root + os.sep):
            raise HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A missing page gets the site's own 404 page when the build made one."""
        if status_code == 404:
            try:
                page = (Path(self.root) / "404.html").read_bytes()
            except OSError:
                pass
            else:
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(page)
                return
        super().write_error(status_code, **kwargs)


def is_safe_path(path: str) -> bool:
    """Refuse hidden names, parent steps, absolute paths and odd characters (after percent-decoding)."""
    if "\x00" in path or "\\" in path or path.startswith("/"):
        return False
    return not any(part.startswith(".") for part in PurePosixPath(path).parts)


def is_page_path(path: str) -> bool:
    """Whether a request path asks for an HTML page rather than an asset or feed."""
    name = path.rsplit("/", 1)[-1]
    return name == "" or name.endswith((".html", ".htm")) or "." not in name


def error_page(errors: Sequence[SiteError]) -> bytes:
    """The page shown instead of the site while the build is failing (every message escaped)."""
    lines = "\n".join(html.escape(str(error)) for error in errors)
    count = len(errors)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Build failed</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#222}"
        "pre{background:#fff0f0;border-left:4px solid #c00;padding:1rem;white-space:pre-wrap}</style>\n"
        "</head>\n<body>\n<main>\n"
        f"<h1>Build failed: {count} problem{'s' if count != 1 else ''}</h1>\n"
        f'<pre id="build-errors">{lines}</pre>\n'
        "<p>The preview shows the site again as soon as the problem is fixed; this page reloads by itself.</p>\n"
        "</main>\n</body>\n</html>\n"
    ).encode()


def _check_host(handler: web.RequestHandler, hosts: frozenset[str]) -> None:
    """Refuse other host names when serving on loopback (a web page cannot rebind its name to us)."""
    if hosts and handler.request.host_name.strip("[]").lower() not in hosts:
        raise HTTPError(403)


# The file types livereload.js swaps in place, so their names are all a reload message carries.
_LIVE_TYPES = (".css", ".jpg", ".jpeg", ".png", ".gif")


class _ReloadSocket(LiveReloadHandler):
    """The live-reload socket, for this site's own pages only.

    livereload accepts any Origin, so any web page open in the writer's browser
    could listen, and its messages name each saved file, unpublished stories'
    among them. Here the socket takes only pages served by this preview, and a
    message names a stylesheet or image (which the page swaps in place) by its
    file name alone; anything else is a plain reload.
    """

    hosts: frozenset[str] = frozenset()

    def prepare(self) -> None:
        _check_host(self, self.hosts)

    def check_origin(self, origin: str) -> bool:
        host = urlsplit(origin).hostname or ""
        if self.hosts:
            return host.lower() in self.hosts
        return host.lower() == self.request.host_name.strip("[]").lower()

    @classmethod
    def reload_waiters(cls, path: str | None = None) -> None:
        changed = path if path is not None else (cls.watcher.filepath if cls.watcher else None) or ""
        name = os.path.basename(str(changed))
        super().reload_waiters(name if name.lower().endswith(_LIVE_TYPES) else "*")


class _ForceReload(ForceReloadHandler):
    hosts: frozenset[str] = frozenset()

    def prepare(self) -> None:
        _check_host(self, self.hosts)


class _ReloadScript(LiveReloadJSHandler):
    hosts: frozenset[str] = frozenset()

    def prepare(self) -> None:
        _check_host(self, self.hosts)


class PreviewServer(Server):
    """livereload's server, serving the output folder through ``PreviewFileHandler``."""

    def __init__(self, preview: Preview, watcher: WatchfilesWatcher, host: str) -> None:
        super().__init__(watcher=watcher)
        self.preview = preview
        self.root = str(preview.builder.options.output.resolve())
        self.hosts = allowed_hosts(host)

    def get_web_handlers(self, script: bytes) -> list[tuple[Any, ...]]:
        options = {"path": self.root, "default_filename": "index.html", "preview": self.preview, "hosts": self.hosts}
        return [(r"/(.*)", PreviewFileHandler, options)]

    def application(self, port: int, host: str, liveport: int | None = None, debug: bool | None = None, live_css: bool = True) -> None:
        """livereload's application on one port, with its three live-reload handlers checking Host and Origin."""
        for handler in (_ReloadSocket, _ForceReload, _ReloadScript):
            handler.hosts = self.hosts
        _ReloadSocket.watcher = self.watcher
        _ReloadSocket.live_css = live_css
        script = (
            b'<script type="text/javascript">(function(){var s=document.createElement("script");'
            b"var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
            b's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
            b"document.head.appendChild(s);})();</script>"
        )

        class Injector(LiveScriptInjector):  # type: ignore[misc]
            pass

        Injector.script = script
        handlers = [
            (r"/livereload", _ReloadSocket),
            (r"/forcereload", _ForceReload),
            (r"/livereload.js", _ReloadScript),
            *self.get_web_handlers(script),
        ]
        web.Application(handlers=handlers, debug=False, transforms=[Injector]).listen(port, address=host)


def allowed_hosts(host: str) -> frozenset[str]:
    """Host names a request may use: only loopback names when listening on loopback, else any (empty set)."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host.lower() == "localhost"
    if not loopback:
        return frozenset()
    return frozenset({"localhost", "127.0.0.1", "::1", host.lower()})


async def serve(preview: Preview, host: str, port: int, ready: Callable[[], None], lock: Path | None = None) -> int:
    """Listen (raises ``CannotListen``, e.g. if the port is taken), build, then serve until SIGINT or SIGTERM.

    ``lock`` is held while the server runs (``SiteBusy`` if another preview of the site holds it):
    one preview writes the preview folder. Returns the number of the signal that stopped it.
    """
    with holding(lock, wait=0, what="preview"):
        return await _serve(preview, host, port, ready)


async def _serve(preview: Preview, host: str, port: int, ready: Callable[[], None]) -> int:
    output = preview.builder.options.output
    watcher = WatchfilesWatcher(
        ignore_paths=[output, Output(output).staging, staging_folder(output)],
    )
    server = PreviewServer(preview, watcher, host)
    for path in preview.watched_paths():
        server.watch(str(path), preview.rebuild)
    logging.getLogger("tornado.access").setLevel(logging.CRITICAL)
    try:
        server.application(port, host, debug=False, live_css=True)
    except OSError as exc:
        raise CannotListen(exc.errno, exc.strerror or str(exc)) from None
    loop = asyncio.get_running_loop()
    preview.later = loop.call_later
    preview.reload = lambda: _ReloadSocket.reload_waiters("*")
    preview.rebuild()
    # livereload drops changes that come within 3 s of the previous reload;
    # the watcher already batches a burst of saves into one rebuild.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    _ReloadSocket.start_tasks()
    signum = await watcher.until_signalled(ready)
    preview.settle()  # an index being installed is finished, not cut short
    return signum
