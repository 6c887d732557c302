"""Shortcodes in Hugo's syntax, each rendered by the Jinja template ``templates/shortcodes/<name>.html``.

The site's templates folder is searched first, then the theme's. A template receives ``args``
(positional), ``params`` (named), ``inner`` (the text between paired tags, as HTML: for
``{{% %}}`` rendered as Markdown, for ``{{< >}}`` as written; None when unpaired), ``name`` and
``article``, and has a ``markdownify`` filter. Shortcodes are taken out of the body before the
Markdown conversion (a placeholder word stands in for each) and their HTML put back after it;
a shortcode alone in its paragraph replaces the paragraph. Liquid left in Jekyll content is found
by ``liquid_warnings``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.markup.shortcodesyntax import (
    FOLDER,
    Node,
    Shortcode,
    ShortcodeSyntaxError,
    closing_tag,
    has_shortcodes,
    parse,
    shortcodes_digest,
    template_folders,
)
from broadsheet.model.content import Article
from broadsheet.theme import THEME_DIR

if TYPE_CHECKING:
    import jinja2

_LIQUID = re.compile(
    r"(?<![{])\{%-?\s*(\w+)[^%]*?-?%\}"  # {% include x.html %}, but not Hugo's {{% %}}
    r"|\{\{-?\s*((?:site|page|include|layout|paginator|jekyll|content|post)\b[^}]*?)-?\}\}"
)
_SINGLE_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.DOTALL)


class Shortcodes:
    """The shortcode templates of one site: its own folder's, then the theme's."""

    def __init__(self, site_templates: Path | None, theme: Path = THEME_DIR) -> None:
        """``site_templates`` is the site's templates folder (``--templates``); None for the theme alone."""
        self.site_templates = site_templates
        self.site_folder = (site_templates or Path("templates")) / FOLDER  # where errors say to create one
        self.theme = theme
        self.folders = template_folders(site_templates, theme)
        self._env: jinja2.Environment | None = None
        self._uses_inner: dict[str, bool] = {}

    @property
    def env(self) -> jinja2.Environment:
        """The templates' Jinja environment, made for the first shortcode met: a body without one
        (most of an archive, and the story a rebuild re-reads) never loads Jinja here."""
        if self._env is None:
            import jinja2

            self._env = jinja2.Environment(
                loader=jinja2.FileSystemLoader([str(folder) for folder in self.folders]),
                autoescape=True, keep_trailing_newline=False, undefined=jinja2.ChainableUndefined,
                finalize=lambda value: "" if value is None else value,  # {{ inner }} of an unpaired shortcode
            )
            self._env.filters["markdownify"] = jinja2.pass_context(_markdownify)
        return self._env

    def digest(self) -> str:
        """A hash of every shortcode template (names and bytes): the content cache must key on it."""
        return shortcodes_digest(self.site_templates, self.theme)

    def render(self, article: Article, convert: Callable[[str], str]) -> str:
        """The article's body as HTML: shortcodes rendered, the rest converted by ``convert``."""
        run = _Run(self, article, convert)
        try:
            nodes = parse(article.body)
        except ShortcodeSyntaxError as exc:
            raise BuildFailed([SiteError(article.source, str(exc), article.body_line + exc.line - 1)]) from None
        html = run.markdown(nodes)
        if run.errors:
            raise BuildFailed(run.errors)
        return html

    def template(self, name: str) -> tuple[jinja2.Template, bool]:
        """The template for ``name`` and whether it uses ``inner``; raises ``TemplateNotFound``."""
        import jinja2.meta

        file = f"{name}.html"
        template = self.env.get_template(file)
        if file not in self._uses_inner:
            source, _, _ = self.env.loader.get_source(self.env, file)  # type: ignore[union-attr]
            self._uses_inner[file] = "inner" in jinja2.meta.find_undeclared_variables(self.env.parse(source))
        return template, self._uses_inner[file]


class _Run:
    """One body's rendering: errors collected, placeholders numbered."""

    def __init__(self, shortcodes: Shortcodes, article: Article, convert: Callable[[str], str]) -> None:
        self.shortcodes = shortcodes
        self.article = article
        self.convert = convert
        self.errors: list[SiteError] = []
        self.count = 0
        self.prefix = "bsshortcode"
        while self.prefix in article.body:
            self.prefix += "x"

    def markdown(self, nodes: list[Node]) -> str:
        """Markdown with shortcodes: each becomes a placeholder word, converted, then replaced."""
        parts: list[str] = []
        table: dict[str, str] = {}
        for node in nodes:
            if isinstance(node, str):
                parts.append(node)
                continue
            self.count += 1
            token = f"{self.prefix}{self.count}end"
            table[token] = self.shortcode(node)
            parts.append(token)
        html = self.convert("".join(parts))
        for token, output in table.items():
            html = html.replace(f"<p>{token}</p>", output)
            if token in html and _BLOCK.match(output):
                html = _lift(html, token)
            html = html.replace(token, output)
        return html

    def raw(self, nodes: list[Node]) -> str:
        return "".join(node if isinstance(node, str) else self.shortcode(node) for node in nodes)

    def shortcode(self, node: Shortcode) -> str:
        import jinja2

        line = self.article.body_line + node.line - 1
        try:
            template, uses_inner = self.shortcodes.template(node.name)
        except jinja2.TemplateNotFound:
            where = (self.shortcodes.site_folder / f"{node.name}.html").as_posix()
            self.errors.append(SiteError(self.article.source, f"unknown shortcode '{node.name}': create {where}", line))
            return ""
        except jinja2.TemplateSyntaxError as exc:
            self.errors.append(SiteError(_shown(exc.filename, exc.name), exc.message or "syntax error", exc.lineno))
            return ""
        if uses_inner and node.inner is None and not node.self_closed:
            tag = closing_tag(node.name, "%" if node.markdown else "<")
            self.errors.append(SiteError(
                self.article.source, f"shortcode '{node.name}' is never closed: add {tag} after its text", line))
            return ""
        inner: Markup | None = None
        if node.inner is not None:
            inner = Markup(self.markdown(node.inner) if node.markdown else self.raw(node.inner))
        try:
            return template.render(
                args=list(node.args), params=dict(node.params), inner=inner, name=node.name,
                article=self.article, _convert=self.convert,
            ).strip()
        except Exception as exc:
            self.errors.append(SiteError(
                self.article.source, f"shortcode '{node.name}' failed: {type(exc).__name__}: {exc}", line))
            return ""


# Output that opens with a block element: it cannot stand inside a paragraph.
_BLOCK = re.compile(r"\s*<(?:address|article|aside|blockquote|details|div|dl|fieldset|figure|footer|form|h[1-6]|header"
                    r"|hr|main|nav|ol|p|pre|section|table|ul)[\s/>]", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*?(/?)>")
_VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


def _lift(html: str, token: str) -> str:
    """Split the paragraph around ``token`` (a block shortcode written mid-sentence, as Hugo's
    ``{{< figure >}}`` often is): ``<p>Before</p>TOKEN<p>after</p>``, not a ``<figure>`` inside a
    ``<p>``, which is invalid and which browsers end the paragraph at anyway. Left as it is when
    the token sits inside an inline element (``<em>``, a link) of the paragraph."""
    found = re.search(r"<p(\s[^>]*)?>((?:(?!</?p[\s>]).)*?)" + re.escape(token) + r"((?:(?!</?p[\s>]).)*?)</p>", html, re.DOTALL)
    if found is None:
        return html
    attributes, before, after = found.group(1) or "", found.group(2), found.group(3)
    depth = 0
    for tag in _TAG.finditer(before):
        if tag.group(2).lower() in _VOID or tag.group(3):
            continue
        depth += -1 if tag.group(1) else 1
    if depth:
        return html
    parts = [f"<p{attributes}>{before.rstrip()}</p>\n" if before.strip() else "", token,
             f"\n<p{attributes}>{after.lstrip()}</p>" if after.strip() else ""]
    return html[:found.start()] + "".join(parts) + html[found.end():]


def _markdownify(context: Any, text: object) -> Markup:
    """Markdown to HTML inside a shortcode template (given the template's context); one paragraph loses its ``<p>``."""
    import jinja2

    if text is None or isinstance(text, jinja2.Undefined):
        return Markup("")
    html = context["_convert"](str(text)).strip()
    single = _SINGLE_PARAGRAPH.match(html)
    return Markup(single.group(1) if single and "<p>" not in single.group(1) else html)


def _shown(filename: str | None, name: str | None) -> str:
    if filename:
        try:
            return Path(filename).resolve().relative_to(Path.cwd()).as_posix()
        except ValueError:
            return filename
    return name or "shortcode template"


def liquid_warnings(article: Article) -> list[SiteError]:
    """Jekyll's Liquid left in a body (``{% include %}``, ``{{ site.baseurl }}``): shown as written, so warned of."""
    if "{%" not in article.body and "{{" not in article.body:
        return []
    warnings: list[SiteError] = []
    for match in _LIQUID.finditer(article.body):
        line = article.body_line + article.body.count("\n", 0, match.start())
        what = "tag" if match.group(1) else "variable"
        warnings.append(SiteError(
            article.source,
            f"Liquid {what} {' '.join(match.group().split())} is not run by Broadsheet and appears as written; "
            "replace it with Markdown or a shortcode",
            line,
        ))
    return warnings


__all__ = ["Shortcodes", "has_shortcodes", "liquid_warnings"]
