"""Attached documents stored before names were generated kept the uploaded name, so a
"probe.html" with the two PDF markers was stored, and served, as a web page. Each stored file
whose name does not end in .pdf is renamed to <same folder>/<uuid>.pdf in storage, and every row
that names it (a new draft copies its attachments' rows, so several rows may share one file) is
pointed at the new name. A file that does not even start like a PDF is logged and renamed too:
with the .pdf name it is served as a download, never as a page.

Backwards, nothing is undone: the old names were the danger.
"""

import logging
import posixpath
import uuid

from django.db import migrations

logger = logging.getLogger("practices.migrations")

PDF_HEADER_WINDOW = 1024


def rename_to_pdf(apps, schema_editor):
    attachment_model = apps.get_model("practices", "PracticeAttachment")
    storage = attachment_model._meta.get_field("file").storage
    attachments = attachment_model.objects.using(schema_editor.connection.alias)
    names = (
        attachments.exclude(file="")
        .exclude(file__iendswith=".pdf")
        .values_list("file", flat=True)
        .distinct()
    )
    for old_name in sorted(set(names)):
        new_name = posixpath.join(posixpath.dirname(old_name), f"{uuid.uuid4().hex}.pdf")
        if storage.exists(old_name):
            with storage.open(old_name) as stored:
                if b"%PDF-" not in stored.read(PDF_HEADER_WINDOW):
                    logger.warning("Stored document %s is not a PDF; renamed to %s.", old_name, new_name)
                stored.seek(0)
                new_name = storage.save(new_name, stored)
            storage.delete(old_name)
        else:
            logger.warning("Stored document %s is missing; its rows now name %s.", old_name, new_name)
        attachments.filter(file=old_name).update(file=new_name)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0008_attachments_in_own_folders"),
    ]

    operations = [
        migrations.RunPython(rename_to_pdf, migrations.RunPython.noop, elidable=True),
    ]
