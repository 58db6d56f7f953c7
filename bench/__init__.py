"""Benchmarks of the reads that must stay fast at scale: `python -m bench` (or `make bench`).

A scenario is a function in `bench/scenarios.py` decorated with `@scenario("name")`; it gets a
`BenchContext` (personas' scopes and a few organizations of the scale-M demo network) and
does what one page or API call does, evaluating its querysets.
"""
