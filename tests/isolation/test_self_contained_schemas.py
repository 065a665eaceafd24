"""Tenant schemas are self-contained: nothing in one points into the public schema (or into
another tenant), so a fleet can be split across databases or moved to sharded PostgreSQL that
distributes whole schemas (Citus' schema-based sharding)."""

from __future__ import annotations

from django.db import connection


def test_no_foreign_key_leaves_a_tenant_schema(seeded_tenants, db):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT src.nspname, c.conname, dst.nspname
              FROM pg_constraint c
              JOIN pg_class sc ON sc.oid = c.conrelid
              JOIN pg_namespace src ON src.oid = sc.relnamespace
              JOIN pg_class dc ON dc.oid = c.confrelid
              JOIN pg_namespace dst ON dst.oid = dc.relnamespace
             WHERE c.contype = 'f' AND src.nspname LIKE 't\\_%%' AND src.nspname <> dst.nspname
            """
        )
        crossing = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
            " WHERE c.contype = 'f' AND n.nspname = 't_acme'"
        )
        inside = cursor.fetchone()[0]
    assert crossing == []
    assert inside > 5  # the check would notice: tenant schemas do have foreign keys


def test_no_view_or_function_in_a_tenant_schema_reads_public(seeded_tenants, db):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname, c.relname
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname LIKE 't\\_%%' AND c.relkind IN ('v', 'm')
            """
        )
        assert cursor.fetchall() == []
