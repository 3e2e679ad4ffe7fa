from django.db import migrations

from rvcu.search import search_index_operation


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [
        search_index_operation(
            "partnerships_partnershiprevision", "partnership_search_document_idx"
        )
    ]
