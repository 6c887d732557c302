"""What the sample front page costs a phone in image bytes, measured in headless Chromium.

The sample site is built as the README says; Chromium loads its front page at
390 CSS pixels wide (a common phone, at three device pixels per CSS pixel)
and the Resource Timing API gives the bytes each image took over the wire.
The figures go to ``tests/artifacts/photo-bytes.txt`` and are bounded here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitekit import build_sample_site
from test_theme_browser import ARTIFACTS, driver, serve

pytestmark = pytest.mark.browser
__all__ = ["driver"]  # the fixture, shared

REPO = Path(__file__).resolve().parent.parent
PHONE_390 = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}
# The front page's images at 390 px: the lead's picture and the few cards above the fold.
BUDGET_BYTES = 100_000
IMAGE_ENTRIES = """
return performance.getEntriesByType('resource')
  .filter(e => e.initiatorType === 'img' || /\\.(avif|webp|jpe?g|png|svg)$/.test(new URL(e.name).pathname))
  .map(e => [new URL(e.name).pathname, e.transferSize, e.encodedBodySize]);
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(build_sample_site(tmp_path_factory.mktemp("sample"))) as base:
        yield base


def test_front_page_image_bytes_at_390_px(driver, sample: str) -> None:
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE_390)
    driver.get(sample)
    time.sleep(1.0)  # let the lazy loader settle: only images near the first screen should come
    entries = driver.execute_script(IMAGE_ENTRIES)
    total = sum(transfer for _path, transfer, _body in entries)
    lines = [f"{path}\t{transfer}\t{body}" for path, transfer, body in entries]
    ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
    report = f"front page at 390 CSS px, DPR 3: {len(entries)} images, {total} bytes transferred\n" + "\n".join(lines) + "\n"
    (ARTIFACTS.parent / "photo-bytes.txt").write_text(report, encoding="utf-8")
    print(report)
    photos = [path for path, _transfer, _body in entries if not path.endswith(".svg")]
    assert photos, entries  # the sample front page leads with a photograph
    assert all(path.endswith(".avif") for path in photos), photos  # Chromium takes the AVIF source
    originals = sum((REPO / "content" / "static" / "images" / Path(p).name).stat().st_size
                    for p in ("night-market.jpg", "metro-platform.jpg", "tea-harvest.jpg"))
    assert 0 < total <= BUDGET_BYTES < originals, (total, originals)
