from django.db import migrations

INDEX = "practice_search_document_idx"


def create_index(apps, schema_editor):
    # The expression is the one practices.search.SEARCH_VECTOR compiles to, so that the
    # planner uses the index. Only PostgreSQL has text-search vectors.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON practices_practicerevision USING gin "
            "(to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("practices", "0003_picture_search_document_attachments")]

    operations = [migrations.RunPython(create_index, drop_index)]
