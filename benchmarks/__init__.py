"""Benchmarks for issue 8: scale data, a naive pandas reference and the measured targets.

Run `make bench`; the results go to docs/benchmarks.md.
Nothing here is imported by the application.
"""
