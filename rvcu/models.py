from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import PictureField
from .images import process_image
from .review import ReviewAction, ReviewState


def picture_path(instance, filename):
    return f"pictures/{instance._meta.model_name}/{filename}"


class Illustrated(models.Model):
    """Abstract: one picture with its alt text and credit.

    A new upload is replaced, on save, by a cleaned copy (turned upright, metadata such as a
    GPS position stripped) and by the renditions the pages show; the file as uploaded is never
    stored, nor served.
    """

    image = PictureField(
        _("image"),
        upload_to=picture_path,
        blank=True,
        help_text=_("A JPEG, PNG or WebP picture, 5 MB at most."),
    )
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=250,
        blank=True,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    image_credit = models.CharField(
        _("image credit"),
        max_length=200,
        blank=True,
        help_text=_("Who made the picture, e.g. “Photo: Jane Doe / City of Kraków”."),
    )
    image_card = models.ImageField(upload_to=picture_path, blank=True, editable=False)
    image_page = models.ImageField(
        upload_to=picture_path,
        blank=True,
        editable=False,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            processed = process_image(self.image.file)
            self.image = processed.master
            self.image_card = processed.renditions["card"]
            self.image_page = processed.renditions["page"]
        elif not self.image:
            self.image_card = self.image_page = None
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.image and not self.image_alt.strip():
            errors["image_alt"] = _("Describe the picture for people who cannot see it.")
        if self.image and not self.image_credit.strip():
            errors["image_credit"] = _("Say who made the picture (photographer or owner).")
        if errors:
            raise ValidationError(errors)


class ReviewEvent(models.Model):
    """One step in the review history of a practice or a partnership: who, when, from, to, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction)
    from_state = models.CharField(_("from"), max_length=20, choices=ReviewState)
    to_state = models.CharField(_("to"), max_length=20, choices=ReviewState)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review history")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.from_state} → {self.to_state}"


class FormerAddress(models.Model):
    """A slug a published practice or partnership was known by before the secretariat renamed
    it: its old address answers with a permanent redirect, so that links and bookmarks keep
    working. A slug is one document's address or former address, never both."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    document = GenericForeignKey("content_type", "object_id")
    slug = models.SlugField(_("former address"), max_length=140)
    created_at = models.DateTimeField(_("renamed"), auto_now_add=True)

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "slug"], name="unique_former_address_per_type"
            ),
        ]

    def __str__(self):
        return self.slug
