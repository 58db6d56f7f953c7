"""PostgreSQL backend whose test databases get a UTF-8 LC_CTYPE.

Chinese trigram search (pg_trgm) only treats CJK characters as word characters under a
UTF-8 ctype; a cluster initialised with the C locale would silently break it.
"""

from django.db.backends.postgresql import base, creation


class DatabaseCreation(creation.DatabaseCreation):
    def _get_database_create_suffix(self, encoding=None, template=None):
        suffix = super()._get_database_create_suffix(encoding=encoding, template=template)
        return f"{suffix} LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
