from django.db import migrations

from rvcu.search import search_index_operation


class Migration(migrations.Migration):
    dependencies = [("practices", "0003_picture_search_document_attachments")]

    operations = [
        search_index_operation("practices_practicerevision", "practice_search_document_idx")
    ]
