"""Render Vega-Lite to SVG on the server, with Danish number and time formats, and cache the result.

Rendering takes 50–100 ms (vl-convert runs Vega in an embedded V8), far more than a page may spend, so
each SVG is kept in memory and on disk under a hash of its spec: the same data gives the same chart, and
new data gives a new hash, so a cache entry is never stale.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Final

import vl_convert
from django.conf import settings

from lokalkompas.charts.spec import Spec

LOCALE: Final = "da-DK"
VEGA_LITE = "6.4"  # pinned, so an upgrade of vl-convert cannot change the charts unnoticed
MEMORY_ENTRIES = 512
_memory: OrderedDict[str, str] = OrderedDict()
# vl-convert's converter is not documented as thread-safe; one render at a time is safe and, with the
# cache in front, rarely waited on.
_lock = threading.Lock()


def spec_key(spec: Spec) -> str:
    text = json.dumps([VEGA_LITE, spec], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "cache" / "charts"


def render_svg(spec: Spec) -> str:
    key = spec_key(spec)
    if key in _memory:
        _memory.move_to_end(key)
        return _memory[key]
    path = cache_dir() / f"{key}.svg"
    if path.exists():
        svg = path.read_text(encoding="utf-8")
    else:
        with _lock:
            svg = vl_convert.vegalite_to_svg(
                spec, vl_version=VEGA_LITE, format_locale=LOCALE, time_format_locale=LOCALE
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a concurrent reader never sees half a file.
        tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
        tmp.write_text(svg, encoding="utf-8")
        tmp.replace(path)
    _memory[key] = svg
    if len(_memory) > MEMORY_ENTRIES:
        _memory.popitem(last=False)
    return svg
