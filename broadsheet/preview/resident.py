"""``site.py build --watch``: the deploy build kept resident, rebuilding the output folder on every save.

A one-off ``site.py build`` after an edit pays, every time, for a new Python
process, its imports and the last build's model read back from the snapshot:
about 0.4 s at 10,000 stories before the edit itself is rendered. A newsroom
that publishes on save keeps one ``Builder`` alive instead, the way the
preview does, and each save costs only the delta build (Hugo's ``--watch``,
Jekyll's ``build --watch`` and Pelican's ``--autoreload`` do the same).

Unlike the preview this writes the deploy folder, with the deploy build's
options: no drafts or scheduled stories unless asked for, no live-reload
script, and the search index finished inside each build, so that "built" means
live and findable. A story scheduled for later is published when it falls
due, without waiting for a save (``Stamp.until``). A failing build prints its
errors and leaves the output folder as the last good build made it; the next
save builds again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

from broadsheet.outputs.output import Output
from broadsheet.outputs.search import staging_folder
from broadsheet.preview.serve import Preview
from broadsheet.preview.watch import WatchfilesWatcher

# The longest wait before looking again for a story that fell due (the clock may be changed under us).
LONGEST_WAIT = 3600.0


async def watch(preview: Preview, ready: Callable[[], None]) -> int:
    """Build, then build again after every batch of changes until SIGINT or SIGTERM; returns the signal's number."""
    options = preview.builder.options
    output = options.output
    ignored = [output, Output(output).staging, staging_folder(output)]
    if options.cache_dir is not None:
        ignored.append(options.cache_dir)
    watcher = WatchfilesWatcher(ignore_paths=ignored)
    for path in preview.watched_paths():
        watcher.watch(str(path), preview.rebuild)
    loop = asyncio.get_running_loop()
    preview.later = loop.call_later
    due = _Due(preview, loop)
    preview.rebuild()
    preview.builder.warm()  # the first save then costs only its own rebuild
    due.arm()

    def changed() -> None:
        watcher.examine()  # runs ``preview.rebuild`` with the changed paths
        due.arm()

    watcher.start(changed)
    try:
        return await watcher.until_signalled(ready)
    finally:
        due.cancel()


class _Due:
    """A rebuild set for when the last build stops being current by the clock alone
    (a scheduled story falls due, a story expires, the front page's curation changes)."""

    def __init__(self, preview: Preview, loop: asyncio.AbstractEventLoop) -> None:
        self.preview = preview
        self.loop = loop
        self.handle: asyncio.TimerHandle | None = None

    def arm(self) -> None:
        self.cancel()
        until = self.preview.builder.current_until()
        if until is None or self.preview.builder.options.clock is not None:
            return  # nothing falls due, or the build's clock is fixed (--now)
        wait = (until - dt.datetime.now(dt.UTC)).total_seconds()
        self.handle = self.loop.call_later(min(max(wait, 0.0), LONGEST_WAIT) + 0.5, self._fire)

    def _fire(self) -> None:
        self.handle = None
        until = self.preview.builder.current_until()
        if until is not None and dt.datetime.now(dt.UTC) >= until:
            self.preview.rebuild([])
        self.arm()

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None
