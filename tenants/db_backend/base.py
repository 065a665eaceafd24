"""django-tenants' PostgreSQL backend, made safe behind a transaction-mode pooler and cheap
when it isn't.

django-tenants issues `SET search_path` as a statement of its own when a cursor is created.
Behind PgBouncer in transaction mode (Heroku's connection pooling) every statement outside a
transaction may run on a different server connection, so that SET can land on one server and
the query that needed it on another, whose search_path another client left behind: a session
row written into the public schema, a tenant's row into another tenant's tables.

Here the search_path travels *with* the statement that needs it, in the same round trip:

- **pooled** (`AWAN_POOLED` in the database settings): `SET LOCAL search_path = …;` is sent
  in front of the first statement of every transaction, and of every statement outside one
  (each is its own implicit transaction). `SET LOCAL` ends with the transaction, so nothing
  leaks to the next client of that server connection.
- **direct** (a dedicated connection): a session-level `SET search_path` is sent in front of
  a statement only when the connection's search_path differs from what this statement needs,
  so a process serving one tenant after another pays nothing until the tenant changes.

A long-lived connection that has visited many schemas holds a large relation cache in its
PostgreSQL backend; after `AWAN_RECYCLE_AFTER_SCHEMAS` distinct schemas the connection is
closed at the end of the request (or task) and the next one starts fresh.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
from django.db.backends.postgresql.base import CursorMixin
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantsDatabaseWrapper
from django_tenants.utils import quote_schema_name

DEFAULT_RECYCLE_AFTER_SCHEMAS = 150
# Statements PostgreSQL refuses inside a transaction block (a prefixed message is one): they
# get the SET as a statement of its own beforehand, which only a direct connection allows.
_OUTSIDE_TRANSACTION = re.compile(
    r"^\s*(?:(?:CREATE|DROP)\s+(?:DATABASE|TABLESPACE)|VACUUM|ALTER\s+SYSTEM|"
    r"(?:CREATE|DROP)\s+INDEX\s+CONCURRENTLY|REINDEX\b.*\bCONCURRENTLY)",
    re.IGNORECASE | re.DOTALL,
)


class SearchPathCursor(CursorMixin, psycopg.ClientCursor):
    """A client-side-binding cursor that puts the search_path its connection asks for in front
    of the statement, in the same message."""

    wrapper: DatabaseWrapper | None = None

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        prefix = self.wrapper.search_path_prefix() if self.wrapper is not None else None
        if prefix is None:
            return super().execute(query, params, **kwargs)
        if not isinstance(query, str):
            query = query.as_string(self)
        if _OUTSIDE_TRANSACTION.match(query):
            super().execute(prefix)
            self.wrapper.search_path_sent()  # type: ignore[union-attr]
            return super().execute(query, params, **kwargs)
        if params is not None:
            prefix = prefix.replace("%", "%%")
        super().execute(prefix + query, params, **kwargs)
        self.nextset()  # position on the statement's own result, not the SET's
        self.wrapper.search_path_sent()  # type: ignore[union-attr]
        return self

    def executemany(self, query: Any, params_seq: Any, **kwargs: Any) -> Any:
        prefix = self.wrapper.search_path_prefix() if self.wrapper is not None else None
        if prefix is None:
            return super().executemany(query, params_seq, **kwargs)
        if self.connection.autocommit:
            # One explicit transaction, so a pooler keeps the SET and the statements together.
            with self.connection.transaction():
                super().execute(prefix)
                return super().executemany(query, params_seq, **kwargs)
        super().execute(prefix)
        self.wrapper.search_path_sent()  # type: ignore[union-attr]
        return super().executemany(query, params_seq, **kwargs)


class DatabaseWrapper(TenantsDatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._server_search_path: tuple[str, ...] | None = None  # direct: the session's value
        self._txn_search_path: tuple[str, ...] | None = None  # pooled: this transaction's
        self._schemas_seen: set[str] = set()
        self.search_path_free = False  # tenants.db.any_search_path()
        super().__init__(*args, **kwargs)
        self.pooled = bool(self.settings_dict.get("AWAN_POOLED"))
        self.recycle_after = int(
            self.settings_dict.get("AWAN_RECYCLE_AFTER_SCHEMAS") or DEFAULT_RECYCLE_AFTER_SCHEMAS
        )

    # --- the connection and its cursors ---------------------------------------------------

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        params["cursor_factory"] = SearchPathCursor
        return params

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = super().create_cursor(name)
        if name is None:
            cursor.wrapper = self
        else:
            # A named (server-side) cursor runs one statement: set the path beforehand. Only
            # used inside a transaction (and never when pooled: DISABLE_SERVER_SIDE_CURSORS).
            prefix = self.search_path_prefix()
            if prefix is not None:
                with self.connection.cursor() as plain:
                    plain.execute(prefix)
                self.search_path_sent()
        return cursor

    def _handle_search_path(self, cursor: Any = None) -> None:
        """django-tenants' separate `SET search_path` statement: replaced by the prefix."""

    # --- which search_path, and when to send it -------------------------------------------

    def _wanted_search_path(self) -> tuple[str, ...]:
        return tuple(self._get_cursor_search_paths())  # validates every schema name

    def search_path_prefix(self) -> str | None:
        if self.search_path_free:
            return None
        wanted = self._wanted_search_path()
        paths = ", ".join(quote_schema_name(s) for s in wanted)
        if self.pooled:
            in_transaction = self.connection is not None and not self.connection.autocommit
            if in_transaction and self._txn_search_path == wanted:
                return None
            return f"SET LOCAL search_path = {paths}; "
        if self._server_search_path == wanted:
            return None
        return f"SET search_path = {paths}; "

    def search_path_sent(self) -> None:
        wanted = self._wanted_search_path()
        if self.pooled:
            in_transaction = self.connection is not None and not self.connection.autocommit
            self._txn_search_path = wanted if in_transaction else None
        else:
            self._server_search_path = wanted
        if wanted[0] not in self._schemas_seen:
            self._schemas_seen.add(wanted[0])

    def _forget_search_path(self) -> None:
        self._txn_search_path = None
        self._server_search_path = None

    # Transaction boundaries: a SET LOCAL ends with its transaction, and a rolled-back SET
    # (session-level included) is undone, so the next statement must send it again.

    def _commit(self) -> Any:
        try:
            return super()._commit()
        finally:
            self._txn_search_path = None

    def _rollback(self) -> Any:
        try:
            return super()._rollback()
        finally:
            self._forget_search_path()

    def _savepoint_rollback(self, sid: str) -> Any:
        try:
            return super()._savepoint_rollback(sid)
        finally:
            self._forget_search_path()

    def _set_autocommit(self, autocommit: bool) -> None:
        super()._set_autocommit(autocommit)
        self._txn_search_path = None

    def close(self) -> None:
        self._forget_search_path()
        self._schemas_seen = set()
        super().close()

    # --- bounded backend memory ------------------------------------------------------------

    def close_if_unusable_or_obsolete(self) -> None:
        if (
            self.connection is not None
            and len(self._schemas_seen) > self.recycle_after
            and not self.in_atomic_block
        ):
            self.close()
            return
        super().close_if_unusable_or_obsolete()
