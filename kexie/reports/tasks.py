"""Background writing of documents (django.tasks; `manage.py db_worker` runs them)."""

from django.tasks import task

from kexie.reports.models import GeneratedReport
from kexie.reports.services import document_generate


@task()
def generate_document_task(document_id: int) -> str:
    document = GeneratedReport.objects.select_related("organization").filter(pk=document_id).first()
    if document is None or document.state == GeneratedReport.State.DONE:
        return ""
    return document_generate(document).state
