"""What the image pipeline made of one photo: its published files (``Variant``) and sizes, without Pillow.

Kept apart from ``images.py`` so that reading a build snapshot, which holds
these records, does not load Pillow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}


@dataclass(frozen=True, slots=True)
class Variant:
    """One published file: its path (like the original's, relative to the static folder), size and format."""

    path: str
    width: int
    height: int
    format: str

    @property
    def mime(self) -> str:
        return MIME[self.format]


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    """Every file published for one original, and its oriented size."""

    source: str
    width: int
    height: int
    variants: tuple[Variant, ...]
    social: Variant | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def fallback(self) -> str:
        """``jpeg``, or ``png`` for an image with transparency."""
        return self.variants[-1].format

    def of_format(self, fmt: str) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.format == fmt)

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.format for v in self.variants))


@dataclass
class PhotoUses:
    """The photos a build published: each processed image by path, and what each story uses (for the delta path)."""

    images: dict[str, ProcessedImage] = field(default_factory=dict)
    stories: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article source → the photos it uses
