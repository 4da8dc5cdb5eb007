"""Benchmarks of ``droplets`` against plain requests, python-digitalocean and pydo.

Not part of the test suite. Run with ``python -m benchmarks.run`` (see
``benchmarks/README.md``); the report goes to ``docs/performance.md``.
"""
