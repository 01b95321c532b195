"""The benchmark harness of cpec-mapper: ``make bench`` (``python -m bench``) writes bench/RESULTS.md.

It lives outside ``geo`` because timing belongs in a benchmark, never in a test.
"""
