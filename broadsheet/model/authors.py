"""Author profiles from ``content/authors.yml``: display name, role, bio, photo, links."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from broadsheet.errors import BuildFailed, SiteError

FIELDS = {"name": str, "role": str, "bio": str, "photo": str, "email": str, "links": list}
# What a link in a profile may be: a web page, an address to write to, or a path on this site.
SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})
# Browsers ignore these inside a URL's scheme ("java\tscript:" runs as "javascript:").
_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def url_problem(url: str) -> str | None:
    """Why ``url`` may not be linked from a page (``javascript:``, ``data:``...), or None."""
    scheme = urlsplit(_IGNORED.sub("", url)).scheme.lower() if ":" in url else ""
    if scheme not in SAFE_SCHEMES:
        return f"'{scheme}:' links are not allowed; use an http(s) or mailto address, or a path on this site"
    return None


def load_profiles(path: Path) -> dict[str, dict[str, Any]]:
    """Profiles keyed by the name or id used in front matter; a missing file means none."""
    if not path.is_file():
        return {}
    import yaml  # loaded by the builds that read profiles (a full one), not by every build

    from broadsheet.model.yamlsafe import load_yaml

    shown = path.as_posix()
    try:
        data = load_yaml(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise BuildFailed([SiteError(shown, "not valid UTF-8 text")]) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise BuildFailed([SiteError(shown, f"not valid YAML: {exc.problem}", line)]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BuildFailed([SiteError(shown, "expected a mapping of author name or id to profile")])
    errors: list[SiteError] = []
    profiles: dict[str, dict[str, Any]] = {}
    for key, profile in data.items():
        if not isinstance(profile, dict):
            errors.append(SiteError(shown, f"{key}: expected a profile with fields {', '.join(FIELDS)}"))
            continue
        for field, kind in FIELDS.items():
            if field in profile and profile[field] is not None and not isinstance(profile[field], kind):
                errors.append(SiteError(shown, f"{key}.{field}: expected {'a list' if kind is list else 'text'}"))
        for link in profile.get("links") or []:
            if not (isinstance(link, dict) and isinstance(link.get("url"), str)):
                errors.append(SiteError(shown, f"{key}.links: each link needs a 'url' (and a 'label')"))
            elif problem := url_problem(link["url"]):
                errors.append(SiteError(shown, f"{key}.links: {problem}"))
        if isinstance(profile.get("photo"), str) and (problem := url_problem(profile["photo"])):
            errors.append(SiteError(shown, f"{key}.photo: {problem}"))
        profiles[str(key)] = {k: v for k, v in profile.items() if v is not None}
    if errors:
        raise BuildFailed(errors)
    return profiles
