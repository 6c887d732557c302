"""Run the pipeline: config → content → markdown → site → routes → fingerprints → render → output → snapshot.

``Builder.build()`` returns a ``BuildReport`` or raises ``BuildFailed`` with
every problem found; it never prints. A ``Builder`` kept alive (as the preview
server does) reuses its cache in memory between builds. Each stage lives in
``broadsheet.pipeline``; a ``BuildRun`` carries one build's options, inputs,
clock, workers and report from stage to stage.

Two paths: the full one plans every page from every source; the delta one,
taken when only some stories' content changed since the last build's
snapshot, re-keys and renders only the pages that show them.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.incremental.cache import BuildCache, CacheDamaged, LazyHtml, unwritable
from broadsheet.incremental.delta import Changes, EditsRead, changed_sources, namespace, read_edits, read_outputs
from broadsheet.incremental.forking import Forked, can_fork
from broadsheet.incremental.snapshot import Model, Stamp, Store
from broadsheet.model.authors import load_profiles
from broadsheet.model.config import Settings, load_settings
from broadsheet.model.content import Article
from broadsheet.model.curation import changes_after
from broadsheet.model.site import Site, Story, build_site, unused_sections
from broadsheet.outputs.manifest import manifest_path
from broadsheet.outputs.output import Output, check_output_dir, pause
from broadsheet.outputs.processed import PhotoUses
from broadsheet.pages.kinds import Page
from broadsheet.pipeline.keep import KeptRender
from broadsheet.pipeline.keys import key_pages, rekey
from broadsheet.pipeline.listing import ContentListing, Vouched
from broadsheet.pipeline.lock import holding
from broadsheet.pipeline.photos import CACHE_FOLDER, photo_stage, same_photos
from broadsheet.pipeline.run import BuildOptions, BuildReport, BuildRun, Stopwatch, configure
from broadsheet.pipeline.sources import Source, list_sources
from broadsheet.pipeline.workers import POOL_THRESHOLD, Progress, Workers
from broadsheet.pipeline.write import early_index, index_only, recover, render_stage, search_current, write

if TYPE_CHECKING:
    from broadsheet.outputs.search_early import Early, Sent
    from broadsheet.pipeline.write import LaterIndex

__all__ = ["POOL_THRESHOLD", "BuildOptions", "BuildReport", "Builder", "Progress", "build"]


class Builder:
    """Builds one site; keep it to rebuild incrementally."""

    def __init__(self, options: BuildOptions) -> None:
        self.cache_warning = ""
        if options.cache_dir is not None:
            problem = unwritable(options.cache_dir)
            if problem:
                # Said once, by the first build: the site builds, every time in full.
                self.cache_warning = f"{options.cache_dir}: cannot write the build cache ({problem}); building without it"
                options = replace(options, cache_dir=None)
        self.options = options
        cache_file = options.cache_dir / "cache.sqlite" if options.cache_dir else None
        self.cache = BuildCache(cache_file)
        self.snapshots = Store(options.cache_dir / "snapshot" if options.cache_dir else None)
        self._stamp: Stamp | None = None
        self._model: Model | None = None
        self._wrote = False  # whether this builder made ``_stamp`` (and the output it describes)
        self._kept = KeptRender()  # the render stage's environment, for the next delta build on ``_model``
        self._photo_folder: Path | None = options.cache_dir / CACHE_FOLDER if options.cache_dir else None
        self._later: LaterIndex | None = None  # the last build's search index, if it is still being made
        self._listing: ContentListing | None = None  # the content folder as the last successful build listed it

    def photo_folder(self) -> Path:
        """Where processed photos are kept: the cache's folder, or one for this builder's life."""
        if self._photo_folder is None:
            import tempfile

            self._photo_temp = tempfile.TemporaryDirectory(prefix="broadsheet-photos-")
            self._photo_folder = Path(self._photo_temp.name)
        return self._photo_folder

    @property
    def site(self) -> Site | None:
        """The site the last successful build made (read from the cache if that build did not need it)."""
        model = self._current_model()
        return model.site if model else None

    def warm(self) -> None:
        """Load ahead what the next rebuild after an edit needs: the last build's model and the render stage.

        A resident builder (``site.py build --watch``) calls it while it waits for the first save.
        """
        if self._current_model() is not None:
            render_stage()

    def current_until(self) -> dt.datetime | None:
        """When the output of the last successful build stops being current by the clock alone (None: never)."""
        return self._stamp.until if self._stamp is not None else None

    def _current_model(self) -> Model | None:
        if self._model is None and self._stamp is not None:
            self._model = self.snapshots.load_model(self._stamp)
        return self._model

    def settings(self) -> Settings:
        opts = self.options
        settings = load_settings(opts.config, required=opts.config_required)
        return settings.with_overrides(base_url=opts.base_url)

    def articles(
        self, settings: Settings, published: Callable[[Article], bool] = lambda article: True,
    ) -> tuple[list[Source], list[SiteError]]:
        """Every good source (its content key, article, and rendered body if published), and the errors."""
        opts = self.options
        listing = list_sources(opts.content, settings, opts.templates, self.cache, opts.full)
        return listing.parse(settings, opts.templates, published, Workers(opts.jobs), self.cache)

    def build(self, progress: Progress | None = None, changed: Collection[str] | None = None) -> BuildReport:
        """Build once, holding the site's lock (``SiteBusy`` if another build keeps it too long).

        Bad settings or a refused output folder fail first, leaving no lock file behind. The lock
        covers everything else: recovering an interrupted commit, and discarding a damaged cache.
        ``changed``: every path a file watcher saw change since this builder's last build, if one
        watches the site (None: unknown); the last build's listing of the content folder then stands
        when none of them adds or removes a source, and only the changed sources are looked at.
        """
        vouched = self._listing.after(self.options.content, changed) if self._listing and changed is not None else None
        self._listing = None  # kept again only if this build succeeds
        opts = self.options
        settings = self.settings()
        manifest = manifest_path(opts.output, opts.cache_dir)
        checked = not Output(opts.output, manifest).committing
        if checked:
            # With an interrupted commit pending, the folder is judged after it is finished (in the
            # config stage, under the lock): a first build killed mid-commit left it half written.
            check_output_dir(
                opts.output, [opts.content, opts.templates, Path(settings.static_dir), opts.config.resolve().parent], manifest,
            )
        with holding(opts.lock, opts.lock_wait):
            return self._attempt(progress, settings, checked, vouched)

    def settle(self) -> None:
        """Wait for the last build's search index to be made and installed (``index_after_commit``)."""
        later, self._later = self._later, None
        if later is not None:
            later.run()

    def _attempt(self, progress: Progress | None, settings: Settings, checked: bool, vouched: Vouched | None) -> BuildReport:
        """Build, and once more in full from the sources if the cache proves damaged."""
        self.settle()  # the next build starts from the last one's index
        try:
            report = self._build(progress, settings, checked, full=self.options.full, vouched=vouched)
        except CacheDamaged as damaged:
            # Whatever the engine keeps is only a shortcut: drop all of it and build from the sources.
            self.discard_state()
            try:
                report = self._build(progress, settings, checked, full=True)
                report.warnings.append(f"build cache discarded ({damaged}); built in full")
            except CacheDamaged as again:  # a new cache fails too (a full disk, say): build without one
                self.discard_state()
                self.options = replace(self.options, cache_dir=None)
                self.cache, self.snapshots = BuildCache(None), Store(None)
                report = self._build(progress, settings, checked, full=True)
                report.warnings.append(f"build cache unusable ({again}); built without it")
        if self.cache_warning:
            report.warnings.append(self.cache_warning)
            self.cache_warning = ""
        self._later = report.index_later
        return report

    def discard_state(self) -> None:
        """Forget the build cache, the snapshot and the compiled templates, in memory and on disk."""
        self._stamp = self._model = None
        self._wrote = False
        self._kept = KeptRender()
        self.cache.discard()
        if self.options.cache_dir is not None:
            for folder in ("snapshot", "templates"):
                shutil.rmtree(self.options.cache_dir / folder, ignore_errors=True)

    def _build(self, progress: Progress | None, settings: Settings, checked: bool, full: bool, vouched: Vouched | None = None) -> BuildReport:
        """One attempt: ``settings`` as ``build`` loaded them, the output folder already judged if ``checked``."""
        clock = Stopwatch()
        recover(self.options)
        run = configure(self.options, settings, clock, progress, check_output=not checked, vouched=None if full else vouched)
        report = self._delta_or_full(run, full)
        self._listing = run.listing
        return report

    def _delta_or_full(self, run: BuildRun, full: bool) -> BuildReport:
        """The delta path if the last build's snapshot still describes the site's inputs and it can take the change; else the full one."""
        if not full:
            if self._stamp is None:
                self._stamp = self.snapshots.load_stamp()
            if self._stamp is not None and (self._stamp.context != run.context or not self._stamp.fresh_at(run.now)):
                self._stamp = self._model = None
                self._wrote = False
            if self._stamp is not None:
                done = self._delta(run, self._stamp)
                if done is not None:
                    return done
        return self._full(run)

    # -- the full path --------------------------------------------------------

    def _full(self, run: BuildRun) -> BuildReport:
        """Build from every source: plan every page and render those whose key changed."""
        # Every kind of page loads with planning: a build that takes the delta path never plans.
        from broadsheet.pages.articles import article_url
        from broadsheet.pages.plan import plan

        opts, settings, report = run.options, run.settings, run.report
        listing = list_sources(opts.content, settings, opts.templates, self.cache, opts.full)
        report.markdown_cached = listing.cached(run.published)
        report.warnings.extend(listing.warnings)
        run.lap("content")

        found, errors = listing.parse(settings, opts.templates, run.published, run.workers, self.cache)
        shown: list[Source] = []
        for source in found:
            if run.published(source.article):
                shown.append(source)
                report.warnings.extend(source.rendered.warnings if source.rendered else ())
            elif source.article.draft and not opts.drafts:
                report.drafts_skipped += 1
            elif source.article.date > run.now and not opts.future:
                report.future_skipped += 1
        report.articles = len(shown)
        if any(source.article.translation_key for source in found):
            from broadsheet.model.editions import translation_errors

            errors.extend(translation_errors([source.article for source in found], settings.language))
        if settings.languages:
            from broadsheet.model.editions import edition_warnings

            report.warnings.extend(edition_warnings((source.article for source in shown), settings))
        run.lap("markdown")

        stories: list[Story] = []
        for source in shown:
            assert source.rendered is not None
            try:
                stories.append(Story(source.article, source.rendered, article_url(source.article, settings), source.key))
            except ValueError as exc:
                errors.append(SiteError(source.article.source, str(exc)))
        try:
            profiles = load_profiles(opts.content / settings.authors_file)
        except BuildFailed as failed:
            errors.extend(failed.errors)
            profiles = {}
        errors.extend(run.missing_files(
            (story.article for story in stories), profiles, opts.content / settings.authors_file))
        site = build_site(settings, stories, profiles)
        report.warnings.extend(
            SiteError(str(opts.config), f"sections: no published story is in section '{name}'; it is left out")
            for name in unused_sections(site)
        )
        run.lap("site")
        photos = PhotoUses()
        if not errors:
            try:
                photos = photo_stage(run, site.all_stories, self.photo_folder(), profiles, opts.content / settings.authors_file)
            except BuildFailed as failed:
                errors.extend(failed.errors)

        pages: list[Page] = []
        try:
            pages = plan(site, reserved=run.assets.outputs)
        except BuildFailed as failed:
            errors.extend(failed.errors)
        if errors:
            raise BuildFailed(errors)
        report.pages = len(pages)
        run.lap("routes")

        previous = Output(opts.output, manifest_path(opts.output, opts.cache_dir)).read_manifest()
        model, todo = key_pages(run, site, pages, previous)
        model.photos = photos
        run.lap("fingerprints")

        with self.snapshots.writing(model) as commit:
            manifest = write(run, site, todo, previous, self._kept)
            # The snapshot holds until the next scheduled story is due, the next story expires, or the
            # front page's curation or the breaking-news banner changes by the clock.
            scheduled = [source.article.date for source in found if source.article.date > run.now]
            scheduled += [e for source in found if (e := source.article.expires) is not None and e > run.now]
            scheduled += changes_after(site.all_featured, settings, run.now)
            stamp = Stamp(
                context=run.context, model=model.id, sources=listing.stats, manifest=manifest,
                since=run.now, until=min(scheduled, default=None),
                counts=(report.articles, report.drafts_skipped, report.future_skipped, report.pages),
            )
            self.cache.save()  # before the stamp that points at its entries
            pause("snapshot")
            commit(stamp)
        self.cache.collect()  # only now: a failed or killed build leaves every entry the last snapshot needs
        self._stamp, self._model, self._wrote = stamp, model, True
        run.lap("snapshot")
        return run.finish()

    # -- the delta path -------------------------------------------------------

    def _delta(self, run: BuildRun, stamp: Stamp) -> BuildReport | None:
        """Rebuild from the last build's snapshot if no more than story content changed; None if it cannot."""
        opts = run.options
        changed = changed_sources(opts.content, stamp, run.sources, run.watched)
        if changed is None:
            return None
        # With sources edited, the model (and the render stage) are needed: load them while a child
        # reads and renders the edits.
        look = not (opts.own_output and self._wrote)
        output = Output(opts.output, manifest_path(opts.output, opts.cache_dir))
        # The child that reads the edits can start indexing them for search, too (``search_early``).
        early = early_index(run, stamp.manifest) if changed and opts.search and can_fork() else None
        parent = os.getpid()

        def read() -> tuple[EditsRead | None, Sent | None]:
            edits = read_edits(stamp, run.settings, opts.templates, changed, self.cache, opts.content)
            sent = None
            # Only the child sends: run here instead (no fork, or the child failed), nothing early is wanted.
            if early is not None and os.getpid() != parent and edits is not None and edits[0]:
                sent = early.send(run.settings, [(e.source, e.key, e.article, e.rendered) for e in edits[0]], self.cache.get)
            return edits, sent

        try:
            return self._revise(run, stamp, changed, read, lambda: read_outputs(stamp, output, look), early)
        finally:
            if early is not None:
                early.cancel()  # unless the search stage took it

    def _revise(
        self, run: BuildRun, stamp: Stamp, changed: dict[str, tuple[int, int]],
        read: Callable[[], tuple[EditsRead | None, Sent | None]], outputs: Callable[[], tuple[dict[str, str], list[str]] | None],
        early: Early | None,
    ) -> BuildReport | None:
        """The delta path once sources changed: ``read`` them in a child while the model loads and the
        output folder is checked against its manifest (``outputs``), then re-key and write."""
        opts, report = run.options, run.report
        with Forked(read, fork=bool(changed)) as reading:
            if reading.forked:
                self._current_model()
                render_stage()
            listed = outputs()
            edits, sent = reading.result()
        if early is not None:
            early.received(sent)
        if edits is None or listed is None:
            return None
        changes = Changes(*edits, *listed)
        report.articles, report.drafts_skipped, report.future_skipped, report.pages = stamp.counts
        report.markdown_cached = report.articles - sum(edit.fresh for edit in changes.edits)
        report.warnings.extend(warning for edit in changes.edits for warning in edit.rendered.warnings)
        run.lap("content")
        if not changes.edits and not changes.missing:
            if changes.touched:
                stamp.sources.update(changes.touched)
                self.snapshots.save_stamp(stamp)
            report.unchanged = len(changes.previous)
            if opts.search and not search_current(run, stamp.manifest):
                model = self._current_model()  # the index was skipped (--no-search) or lost: make it now
                if model is None:
                    return None
                index_only(run, model.site, stamp.manifest)
            return run.finish()

        model = self._current_model()
        if model is None or not changes.fits(model):
            return None
        if not same_photos(run, model.photos, changes.edits, self.photo_folder):
            return None  # an edit uses other photos: the full path processes and stages them
        missing = run.missing_files(edit.article for edit in changes.edits if run.published(edit.article))
        if missing:
            raise BuildFailed(missing)
        try:
            changes.remember(self.cache, namespace(run.settings, opts.templates))
            revised = [
                model.revise(edit.source, edit.article, edit.rendered.with_html(LazyHtml(self.cache.source, edit.key)), edit.key)
                for edit in changes.edits
            ]
            todo = rekey(model, revised, changes.previous, changes.missing)
            run.lap("fingerprints")
            manifest = write(
                run, model.site, todo, changes.previous, self._kept, revised,
                edited={story.url for story in revised}, since=stamp.manifest, early=early,
            )
        except BaseException:
            self._model = None  # revised in memory but not written: read it again from the cache
            raise
        stamp.sources.update(changes.touched)
        stamp.manifest = manifest
        self.snapshots.save_journal(stamp, model)
        self._wrote = True
        run.lap("snapshot")
        return run.finish()


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site once."""
    return Builder(options).build(progress)
