"""Imports every benchmark module so that their figures register, in the order they are run."""

from benchmarks import bench_review, bench_sandbox, bench_sync, bench_ui

__all__ = ["bench_review", "bench_sandbox", "bench_sync", "bench_ui"]
