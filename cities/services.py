"""Writes of the cities app: loading the network's member list, inviting coordinators."""

import csv
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from django_countries import countries

from core.mail import templated_email

from .models import City, CreativeField
from .regions import region_for_country
from .text import ascii_slug
from .validators import FIRST_DESIGNATION_YEAR

NETWORK_COLUMNS = (
    "city",
    "country_code",
    "creative_field",
    "designation_year",
    "latitude",
    "longitude",
)


NAME_MAX_LENGTH = City._meta.get_field("name").max_length


class NetworkFileError(Exception):
    """The member file cannot be loaded; `problems` lists each one, with its line."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class NetworkRow:
    line: int
    name: str
    country: str
    field: CreativeField
    designation_year: int
    latitude: Decimal
    longitude: Decimal


@dataclass
class NetworkLoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    not_in_file: list = field(default_factory=list)


def network_load(*, lines):
    """Create or update the member cities from CSV text lines; all or nothing.

    Cities are matched on name and country, so loading the same file again changes nothing.
    Raises NetworkFileError naming every bad line; the database is then left untouched.
    """
    rows = _parse_network_rows(lines)
    report = NetworkLoadReport()
    with transaction.atomic():
        existing = {(city.name, city.country.code): city for city in City.objects.all()}
        taken_slugs = {city.slug for city in existing.values()}
        shared_names = _names_shared_by_several(rows, existing)
        for row in rows:
            city = existing.pop((row.name, row.country), None)
            if city is None:
                city = City(name=row.name, country=row.country)
                city.slug = _unique_slug(row, shared_names, taken_slugs)
                taken_slugs.add(city.slug)
                _apply(city, row)
                _validate_and_save(city, row)
                report.created.append(city)
            elif _apply(city, row):
                _validate_and_save(city, row)
                report.updated.append(city)
            else:
                report.unchanged += 1
        report.not_in_file = sorted(existing.values(), key=lambda city: city.name)
    return report


def _validate_and_save(city, row):
    try:
        city.full_clean()
    except ValidationError as error:
        problems = [
            f"line {row.line}: {name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise NetworkFileError(problems) from error
    city.save()


def _apply(city, row):
    """Copy the row's designation data onto the city; True when something changed."""
    values = {
        "field_id": row.field.pk,
        "designation_year": row.designation_year,
        "latitude": row.latitude,
        "longitude": row.longitude,
    }
    changed = any(getattr(city, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(city, name, value)
    return changed


def _names_shared_by_several(rows, existing):
    names = Counter(row.name.casefold() for row in rows)
    names.update(
        name.casefold()
        for name, code in existing
        if not any(row.name == name and row.country == code for row in rows)
    )
    return {name for name, count in names.items() if count > 1}


def _unique_slug(row, shared_names, taken_slugs):
    """'krakow'; for a name several members share, the country too: 'granada-nicaragua'."""
    with override("en"):
        country_name = str(countries.name(row.country))
    candidates = [ascii_slug(f"{row.name} {country_name}")]
    if row.name.casefold() not in shared_names:
        candidates.insert(0, ascii_slug(row.name))
    for candidate in candidates:
        if candidate not in taken_slugs:
            return candidate
    number = 2
    while f"{candidates[-1]}-{number}" in taken_slugs:
        number += 1
    return f"{candidates[-1]}-{number}"


def _parse_network_rows(lines):
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    missing = [column for column in NETWORK_COLUMNS if column not in header]
    if missing:
        raise NetworkFileError(
            [
                f"line 1: missing column(s): {', '.join(missing)} "
                f"(expected: {', '.join(NETWORK_COLUMNS)})"
            ]
        )
    fields = {creative_field.slug: creative_field for creative_field in CreativeField.objects.all()}
    last_year = timezone.now().year
    problems = []
    rows = []
    first_line_of = {}
    for record in reader:
        line = reader.line_num
        row_problems = []
        name = (record["city"] or "").strip()
        code = (record["country_code"] or "").strip().upper()
        field_slug = (record["creative_field"] or "").strip()
        if not name:
            row_problems.append("the city name is empty")
        elif len(name) > NAME_MAX_LENGTH:
            row_problems.append(f"the city name is longer than {NAME_MAX_LENGTH} characters")
        if code not in countries:
            row_problems.append(f"unknown country code '{record['country_code']}'")
        elif region_for_country(code) is None:
            row_problems.append(f"no UNESCO region is known for country '{code}'")
        if field_slug not in fields:
            row_problems.append(
                f"unknown creative field '{field_slug}' (known: {', '.join(sorted(fields))})"
            )
        year = _parse_int(record["designation_year"])
        if year is None or not FIRST_DESIGNATION_YEAR <= year <= last_year:
            row_problems.append(
                f"bad designation year '{record['designation_year']}' "
                f"(a year from {FIRST_DESIGNATION_YEAR} to {last_year})"
            )
        latitude = _parse_coordinate(record["latitude"], 90)
        if latitude is None:
            row_problems.append(f"bad latitude '{record['latitude']}' (from -90 to 90)")
        longitude = _parse_coordinate(record["longitude"], 180)
        if longitude is None:
            row_problems.append(f"bad longitude '{record['longitude']}' (from -180 to 180)")
        key = (name.casefold(), code)
        if name and key in first_line_of:
            row_problems.append(
                f"duplicate city '{name}' ({code}), already on line {first_line_of[key]}"
            )
        first_line_of.setdefault(key, line)
        if row_problems:
            problems.extend(f"line {line}: {problem}" for problem in row_problems)
            continue
        rows.append(NetworkRow(line, name, code, fields[field_slug], year, latitude, longitude))
    if problems:
        raise NetworkFileError(problems)
    if not rows:
        raise NetworkFileError(["the file has no city"])
    return rows


def _parse_int(text):
    try:
        return int((text or "").strip())
    except ValueError:
        return None


def _parse_coordinate(text, limit):
    try:
        value = Decimal((text or "").strip()).quantize(Decimal("0.0001"))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() and -limit <= value <= limit else None


def coordinator_invite(*, city, email, first_name="", last_name="", language=None):
    """Make `email` a coordinator of `city`; e-mail them a link to set their password.

    A person who already has an account is linked to the city and told so; nobody else's
    account is changed. Returns the user and whether the account was created.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User(
                email=email,
                first_name=first_name,
                last_name=last_name,
                language=language or settings.LANGUAGE_CODE,
            )
            user.set_unusable_password()
            user.full_clean()
            user.save()
        city.coordinators.add(user)
        _send_coordinator_invitation(user=user, city=city, new_account=created)
    return user, created


def _send_coordinator_invitation(*, user, city, new_account):
    with override(user.language):
        if new_account or not user.has_usable_password():
            path = reverse(
                "account_reset_password_from_key",
                kwargs={
                    "uidb36": user_pk_to_url_str(user),
                    "key": default_token_generator.make_token(user),
                },
            )
        else:
            path = reverse("account_login")
        context = {
            "user": user,
            "city": city,
            "link": f"{settings.SITE_URL}{path}",
            "set_password": new_account or not user.has_usable_password(),
        }
        templated_email("cities/email/coordinator_invitation", context, to=user.email)
