"""What the cache folder records about an output folder (never deployed with it).

The manifest lists each file the last build wrote there and its page key: a format line with a
checksum, then one sorted entry a line. One that is missing, damaged, from another version or names
an unsafe path (``safe_relative``) reads as unknown, so the next commit trusts the folder's real
content. The build info holds how the last build made the folder (its base URL), for ``check``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

# The manifest older versions wrote into the output folder (and deployed): removed by the next commit.
LEGACY_MANIFEST = ".broadsheet-manifest.json"
MANIFEST_FORMAT = b"broadsheet-manifest 2"


def manifest_path(output: Path, cache_dir: Path | None) -> Path | None:
    """Where the manifest of ``output`` is kept: in the cache folder (``None``: nowhere, always compare)."""
    if cache_dir is None:
        return None
    return cache_dir / "outputs" / f"{digest(str(output.resolve()).encode('utf-8'))}.manifest"


def safe_relative(rel: object) -> bool:
    """Whether ``rel`` is a plain relative path inside a folder: no ``..``, no root, no drive, no NUL.

    A manifest entry must be one; the output stage checks every path it writes or removes with it too.
    """
    if not isinstance(rel, str) or not rel or "\0" in rel or "\\" in rel or rel.startswith("/"):
        return False
    parts = rel.split("/")
    return all(part not in ("", ".", "..") for part in parts) and ":" not in parts[0]


# What makes a path unsafe, as seen in all of a manifest's paths joined one a line (see ``all_safe``).
_UNSAFE = ("\0", "\\", "\n/", "//", "/\n", "\n\n", "/./", "/.\n", "\n./", "\n.\n", "/../", "/..\n", "\n../", "\n..\n")


def all_safe(paths: list[object]) -> bool:
    """``safe_relative`` of every path, in a few substring searches over them all (a rebuild reads
    twenty thousand paths at 10,000 stories; one call per path cost a tenth of a second)."""
    if not all(type(path) is str for path in paths):
        return False
    text = "\n" + "\n".join(paths) + "\n"  # type: ignore[arg-type]
    if ":" in text or text.count("\n") != len(paths) + 1:  # a drive-like name, or a newline inside a path
        return all(map(safe_relative, paths))
    return not any(unsafe in text for unsafe in _UNSAFE)


def build_info_path(output: Path, cache_dir: Path) -> Path:
    """Where a build records how it made ``output`` (its base URL): in the cache folder, so it is never deployed."""
    return cache_dir / "builds" / f"{digest(str(output.resolve()).encode('utf-8'))}.json"


def write_build_info(output: Path, cache_dir: Path, info: dict[str, str]) -> None:
    path = build_info_path(output, cache_dir)
    data = json.dumps(info, sort_keys=True).encode("utf-8")
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)


def read_build_info(output: Path, cache_dir: Path | None) -> dict[str, str]:
    """What ``write_build_info`` recorded for ``output``; empty if nothing (or nothing readable) was."""
    if cache_dir is None:
        return {}
    try:
        data = json.loads(build_info_path(output, cache_dir).read_bytes())
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def manifest_bytes(planned: dict[str, str]) -> bytes:
    """The manifest file: a format line with a checksum, then one sorted entry a line."""
    body = json.dumps(planned, ensure_ascii=False, sort_keys=True, separators=(",\n", ": ")).encode("utf-8")
    return MANIFEST_FORMAT + b" " + digest(body).encode("ascii") + b"\n" + body


def parse_manifest(raw: bytes) -> dict[str, str] | None:
    """The entries of a manifest file, or None if it is damaged, from another version or names an unsafe path."""
    head, _, body = raw.partition(b"\n")
    if head != MANIFEST_FORMAT + b" " + digest(body).encode("ascii"):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not all_safe(list(data)) or not all(type(v) is str for v in data.values()):
        return None
    return data


def digest(data: bytes) -> str:
    """A short digest: a manifest's checksum, and the name of an output folder's records in the cache."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# The manifest this process last read or wrote at each path, by the digest of its file: a process
# that builds one site again and again (the preview) parses and checks it once, not per build
# (tens of milliseconds at a few thousand pages). Callers read the entries and never change them.
_KNOWN: dict[Path, tuple[str, dict[str, str]]] = {}


def read_manifest(path: Path | None) -> tuple[dict[str, str], str]:
    """The entries of the manifest at ``path`` and a digest of the file; empty if it is unknown."""
    if path is None:
        return {}, ""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}, ""
    key = digest(raw)
    known = _KNOWN.get(path)
    if known is not None and known[0] == key:
        return known[1], key
    data = parse_manifest(raw)
    if data is None:
        return {}, ""
    _KNOWN[path] = (key, data)
    return data, key


def save_manifest(path: Path, data: bytes, entries: dict[str, str] | None = None) -> None:
    """Write the manifest file atomically; a cache folder that cannot be written only costs comparing next time.

    ``entries`` (what ``data`` holds) are remembered for the next ``read_manifest`` of the same file.
    """
    _KNOWN.pop(path, None)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
        if entries is not None:
            _KNOWN[path] = (digest(data), dict(entries))


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a reader sees the old file or the new one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
