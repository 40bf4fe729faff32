"""The benchmarks' own code, loaded for tests that score what the benchmarks generate."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType


@cache
def bench_generator() -> ModuleType:
    """``bench/gen_mentions.py`` (not a package: loaded from its file)."""
    path = Path(__file__).resolve().parents[2] / "bench" / "gen_mentions.py"
    spec = importlib.util.spec_from_file_location("gen_mentions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
