"""images.py on damaged files: any bytes give a published photo or one ImageProblem, never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from photokit import camera_jpeg
from PIL import Image

from broadsheet.outputs.images import ImageOptions, ImageProblem, process_image


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (64, 48), (10, 200, 30, 128)).save(out, "PNG")
    return out.getvalue()


def _webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(out, "WEBP", quality=80)
    return out.getvalue()


ORIGINALS = [camera_jpeg(11, (96, 64), orientation=6), _png(), _webp()]
OPTIONS = ImageOptions(widths=(32,), formats=("webp",))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    original=st.sampled_from(ORIGINALS),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=6),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_damaged_files_publish_or_fail_cleanly(tmp_path: Path, original: bytes, edits: list[tuple[float, int]], cut: float | None) -> None:
    data = bytearray(original)
    for where, value in edits:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    try:
        result = process_image(bytes(data), "f.jpg", OPTIONS, tmp_path, social=True)
    except ImageProblem as problem:
        assert str(problem) and "\n" not in str(problem)
        return
    for variant in result.variants:
        with Image.open(tmp_path / variant.path) as image:
            assert image.size == (variant.width, variant.height)
