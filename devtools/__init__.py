"""Tools for working on the portal, never imported by the product: the local accounts and the
demo data of `make run` (tests/devtools/test_boundaries.py checks that no other app imports it)."""
