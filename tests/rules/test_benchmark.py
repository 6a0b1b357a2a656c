"""The benchmark's generator makes valid, deterministic timelines (so the benchmark keeps working)."""

import importlib.util
import random
from pathlib import Path

from cases.rules import compute

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "timescales.py"


def _load():
    """Import benchmarks/timescales.py by path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_timescales", _PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_is_deterministic_and_valid():
    """The same seed gives the same timelines, and every one computes without error."""
    bench = _load()
    a = [bench.make_timeline(random.Random(7), i) for i in range(3)]
    b = [bench.make_timeline(random.Random(7), i) for i in range(3)]
    assert a == b
    rng = random.Random(11)
    for i in range(200):
        out = compute(bench.make_timeline(rng, i))
        assert out["obligations"]


def test_main_runs_small_batch(capsys):
    """main() prints the totals and the per-size timings."""
    bench = _load()
    assert bench.main(["--n", "40"]) == 0
    text = capsys.readouterr().out
    assert "per timeline" in text and "after     40 timelines" in text
