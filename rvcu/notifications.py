"""E-mails that follow the review of a practice or a partnership.

A reviewed item takes part by offering `title`, `review_kind` (what it is, e.g. "good
practice"), `review_city` (the city it belongs to),
`get_absolute_url()` (its public page), `get_author_url()` (where its coordinators follow it)
and `get_review_url()` (where the secretariat reviews it). Each person gets the e-mail in their
own language, once the transaction that moved the item has committed.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils.translation import override

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


def email_people(people, template, context_for):
    """Send each person the e-mail `template`, rendered in their own language with the context
    `context_for(person)` gives (links reversed there follow that language)."""
    messages = []
    for person in people:
        with override(person.language or settings.LANGUAGE_CODE):
            messages.append(templated_email(template, context_for(person), to=person.email))
    return get_connection().send_messages(messages) or 0


def templated_email(template, context, *, to):
    """An e-mail from `<template>_subject.txt` (one line) and `<template>_message.txt`,
    rendered in the active language."""
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}_message.txt", context)
    return EmailMessage(" ".join(subject.split()), body, None, [to])
