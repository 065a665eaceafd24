"""Awan's benchmark suite: `make bench` (quick) or `make bench ARGS=--full`.

Every metric is measured for Awan and for its peer (django-tenants' defaults, or plain Django
without tenancy) in the same run, on the same PostgreSQL. See bench/runner.py and
docs/performance.md.
"""
