"""The network's public data as one JSON document, to publish it as open data or to rebuild a
portal from it (`manage.py export_public_data`, `manage.py import_public_data`).

The document holds what the public pages show and nothing else: the creative fields and the
mission tags, the cities, and the published revision of each published practice and
partnership. Drafts, revisions under review or archived, accounts, e-mail addresses of people
and the review history are left out: the database dump (docs/backups.md) keeps those.

`schema` names the keys, `export` reads them from the database, `load` writes them into an
empty one, checking each entry with the helpers of `entries`.
"""

from .export import public_data_export
from .load import PublicDataError, PublicDataImportReport, public_data_import

__all__ = [
    "PublicDataError",
    "PublicDataImportReport",
    "public_data_export",
    "public_data_import",
]
