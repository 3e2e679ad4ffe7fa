"""E-mails that follow the review of a practice or a partnership.

A reviewed item takes part by offering `title`, `review_kind` (what it is, e.g. "good
practice"), `review_city` (the city it belongs to),
`get_absolute_url()` (its public page), `get_author_url()` (where its coordinators follow it)
and `get_review_url()` (where the secretariat reviews it). Each person gets the e-mail in their
own language: the e-mails are written to the outbox in the transaction that moves the item and
sent once it has committed (core/mail.py).
"""

from django.conf import settings
from django.contrib.auth import get_user_model

from core.mail import email_people

from .review import ReviewState

_TEMPLATES = {
    ReviewState.SUBMITTED: "review/email/submitted",
    ReviewState.PUBLISHED: "review/email/published",
    ReviewState.CHANGES_REQUESTED: "review/email/changes_requested",
}


def review_recipients(event, item):
    """Who hears of `event`: the secretariat of a submission, the city's coordinators of a
    decision; nobody of a withdrawal or an archiving."""
    if event.to_state == ReviewState.SUBMITTED:
        people = get_user_model().objects.filter(is_staff=True)
    elif event.to_state in (ReviewState.PUBLISHED, ReviewState.CHANGES_REQUESTED):
        people = item.review_city.coordinators.all()
    else:
        return []
    return list(people.filter(is_active=True).exclude(email="").order_by("pk"))


def send_review_emails(event, item):
    template = _TEMPLATES.get(event.to_state)
    if template is None:
        return 0
    link_of = {
        ReviewState.SUBMITTED: item.get_review_url,
        ReviewState.PUBLISHED: item.get_absolute_url,
        ReviewState.CHANGES_REQUESTED: item.get_author_url,
    }[event.to_state]

    def context_for(person):
        return {
            "person": person,
            "item": item,
            "event": event,
            "city": item.review_city,
            "kind": item.review_kind,
            "link": f"{settings.SITE_URL}{link_of()}",
        }

    return email_people(review_recipients(event, item), template, context_for)
