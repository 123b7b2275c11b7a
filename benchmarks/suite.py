"""Imports every benchmark module so that their figures register, in the order they are run."""

from benchmarks import bench_sandbox

__all__ = ["bench_sandbox"]
