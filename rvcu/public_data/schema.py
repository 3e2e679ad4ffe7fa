"""The keys of the public data document, shared by the export and the import.

Each list names model fields copied as they are (dates and decimals as ISO text, countries as
codes, files as their stored names). References to other rows (a city's field, a practice's
city, tags) are written as slugs or codes and handled apart. A field missing from these lists
is not public, on purpose: tests/rvcu/test_backup.py lists every field left out and why, so a
new model field has to be placed on one side or the other.
"""

FORMAT = "rvcu-public-data"
VERSION = 1

# The top-level lists, in the order they are written and loaded (later ones refer to earlier).
SECTIONS = (
    "creative_fields",
    "objectives",
    "action_areas",
    "sdgs",
    "cities",
    "partnerships",
    "practices",
)

CREATIVE_FIELD_KEYS = (
    "slug",
    "name_en",
    "name_fr",
    "description_en",
    "description_fr",
    "colour",
    "icon",
    "position",
)
MISSION_TAG_KEYS = ("code", "name_en", "name_fr", "position")

# The many-to-many tags of a revision, each written as the list of its slugs or codes.
TAG_SECTIONS = {
    "fields": ("creative_fields", "slug"),
    "objectives": ("objectives", "code"),
    "action_areas": ("action_areas", "code"),
    "sdgs": ("sdgs", "code"),
}

# rvcu.models.Illustrated: the stored files (the cleaned picture and its renditions) and
# their texts. The files themselves are in MEDIA_ROOT, copied with the media.
PICTURE_KEYS = (
    "image",
    "image_card",
    "image_page",
    "image_width",
    "image_height",
    "image_alt",
    "image_credit",
)

CITY_KEYS = (
    "slug",
    "name",
    "country",
    "region_override",
    "designation_year",
    "latitude",
    "longitude",
    "is_member",
    "description",
    "website",
    *PICTURE_KEYS,
)  # + "field" (slug)

PRACTICE_KEYS = ("slug", "created_at")  # + "city" (slug)
PRACTICE_REVISION_KEYS = (
    "title",
    "language",
    "summary",
    "challenge",
    "actions",
    "results",
    "transferability",
    "year_started",
    "is_ongoing",
    "partners",
    "target_groups",
    "reaches_vulnerable_groups",
    "budget_range",
    "contact_role",
    "links",
    *PICTURE_KEYS,
)  # + "published_at", "partnership" (slug or null), tags, "attachments"
ATTACHMENT_KEYS = ("title", "file")

PARTNERSHIP_KEYS = ("slug", "created_at")  # + "lead_city" (slug)
PARTNERSHIP_REVISION_KEYS = (
    "title",
    "kind",
    "summary",
    "description",
    "start_date",
    "end_date",
    "progress",
    "website",
    *PICTURE_KEYS,
)  # + "published_at", tags, "cities", "organisations", "open_calls"
PARTICIPATION_KEYS = ("role", "status")  # + "city" (slug)
ORGANISATION_KEYS = ("name", "country")
# What the partnership says of the organisation: its own, reviewed with it.
ORGANISATION_ROLE_KEYS = ("sector", "website", "role")
OPEN_CALL_KEYS = ("title", "opens_on", "closes_on", "eligibility", "link", "contact_email")
