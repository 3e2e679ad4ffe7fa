"""A large, realistic and deterministic data set for benchmarks, on top of the real member
cities: published practices and partnerships by the thousand, plus drafts, submissions and
sent-back ones, as the portal's own workflow would leave them (see
`manage.py generate_benchmark_data`).

The rows are planned first, unsaved, from `random.Random(seed)` alone (dates are offsets from
`now`, so the same seed gives the same content whatever the day), then written with bulk
inserts in one transaction.
"""

import bisect
import itertools
import random
import string
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from anyascii import anyascii
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone, translation

from cities.models import City, CreativeField
from cities.text import ascii_slug, search_key
from partnerships import services as partnership_services
from partnerships.models import (
    OpenCall,
    Organisation,
    OrganisationRole,
    Participation,
    ParticipationRole,
    ParticipationStatus,
    Partnership,
    PartnershipKind,
    PartnershipRevision,
    Progress,
    Sector,
)
from practices import services as practice_services
from practices.models import (
    ActionArea,
    BudgetRange,
    Objective,
    Practice,
    PracticeRevision,
    SustainableDevelopmentGoal,
)

from . import benchmark_vocabulary as vocabulary
from .models import ReviewEvent
from .review import ReviewAction, ReviewState

BATCH_SIZE = 1000
EMAIL_DOMAIN = "benchmark.example.org"
NON_PUBLIC_SHARE = 0.10  # drafts, submissions and sent-back items, on top of the published ones
NEWER_DRAFT_SHARE = 0.01  # published practices whose city is editing a new draft
CALL_SHARE = 0.15  # partnerships with calls for applications
PRACTICE_FROM_PARTNERSHIP_SHARE = 0.10
YEARS_OF_HISTORY = 6
ORGANISATION_POOL = 2000
NON_PUBLIC_STATES = {
    ReviewState.DRAFT: 4,
    ReviewState.SUBMITTED: 3,
    ReviewState.CHANGES_REQUESTED: 3,
}
VULNERABLE_GROUP_SHARE = 0.35
SDG_PREFERENCE = [
    "sustainable-cities",
    "quality-education",
    "decent-work",
    "partnerships-for-goals",
    "gender-equality",
    "reduced-inequalities",
    "industry-innovation",
    "responsible-consumption",
    "climate-action",
    "good-health",
    "no-poverty",
    "peace-justice",
]


class BenchmarkRefused(Exception):
    """The database is not one the benchmark data may be written into."""


@dataclass
class BenchmarkPlan:
    """Unsaved rows, linked to each other as objects; tags and review events are written once
    the rows they hang from have their keys."""

    users: list = field(default_factory=list)
    coordinators: list = field(default_factory=list)  # (city, user)
    organisations: list = field(default_factory=list)
    partnerships: list = field(default_factory=list)
    partnership_revisions: list = field(default_factory=list)
    participations: list = field(default_factory=list)
    organisation_roles: list = field(default_factory=list)
    open_calls: list = field(default_factory=list)
    practices: list = field(default_factory=list)
    practice_revisions: list = field(default_factory=list)
    tags: list = field(default_factory=list)  # (revision, relation name, [primary keys])
    events: list = field(default_factory=list)  # (revision, unsaved ReviewEvent)


def benchmark_generate(*, practices, partnerships, seed, allow_no_debug=False, now=None):
    """Plan and write the data set; return the plan and the seconds it took."""
    check_can_generate(allow_no_debug=allow_no_debug)
    started = time.monotonic()
    plan = benchmark_plan(
        practices=practices, partnerships=partnerships, seed=seed, now=now or timezone.now()
    )
    benchmark_write(plan)
    return plan, time.monotonic() - started


def check_can_generate(*, allow_no_debug):
    """Raise BenchmarkRefused unless this database may receive made-up content."""
    if not settings.DEBUG and not allow_no_debug:
        raise BenchmarkRefused(
            "DEBUG is off: this looks like a real site. The benchmark data are made up; "
            "pass --allow-no-debug to write them into a throwaway database all the same."
        )
    if not City.objects.members().exists():
        raise BenchmarkRefused("No member city is loaded: run `manage.py load_network` first.")
    if Practice.objects.exists() or Partnership.objects.exists():
        raise BenchmarkRefused(
            "The database already holds practices or partnerships: the benchmark data go "
            "into a database with none (a throwaway one, after `load_network`)."
        )


def benchmark_plan(*, practices, partnerships, seed, now):
    """The rows to write, unsaved: the same for the same seed, cities and `now`."""
    return _Planner(seed=seed, now=now).build(practices=practices, partnerships=partnerships)


def benchmark_write(plan):
    """Insert the planned rows in one transaction, with the dates the plan gives them."""
    document_models = (Practice, PracticeRevision, Partnership, PartnershipRevision)
    with transaction.atomic(), _timestamps_as_planned(*document_models, ReviewEvent, Organisation):
        _save_reusing(plan.users, get_user_model(), key=lambda user: user.email)
        City.coordinators.through.objects.bulk_create(
            [
                City.coordinators.through(city_id=city.pk, user_id=user.pk)
                for city, user in plan.coordinators
            ],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        _save_reusing(
            plan.organisations,
            Organisation,
            key=lambda organisation: (organisation.name_key, str(organisation.country)),
        )
        for model, rows in (
            (Partnership, plan.partnerships),
            (PartnershipRevision, plan.partnership_revisions),
            (Participation, plan.participations),
            (OrganisationRole, plan.organisation_roles),
            (OpenCall, plan.open_calls),
            (Practice, plan.practices),
            (PracticeRevision, plan.practice_revisions),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        _save_tags(plan.tags)
        _save_events(plan.events)
        _point_to_published_revisions(Practice, PracticeRevision, "practice")
        _point_to_published_revisions(Partnership, PartnershipRevision, "partnership")


def benchmark_counts():
    """What the database holds now, for the command's summary: [(label, count), ...]."""

    def by_state(model):
        counts = dict(model.objects.order_by().values_list("state").annotate(Count("pk")))
        return [(f"  {state}", counts.get(state, 0)) for state in ReviewState.values]

    return [
        ("member cities", City.objects.members().count()),
        ("practices", Practice.objects.count()),
        ("  published", Practice.objects.published().count()),
        ("practice revisions", PracticeRevision.objects.count()),
        *by_state(PracticeRevision),
        ("partnerships", Partnership.objects.count()),
        ("  published", Partnership.objects.published().count()),
        ("partnership revisions", PartnershipRevision.objects.count()),
        *by_state(PartnershipRevision),
        ("participations", Participation.objects.count()),
        ("organisations", Organisation.objects.count()),
        ("organisation roles", OrganisationRole.objects.count()),
        ("calls for applications", OpenCall.objects.count()),
        ("review events", ReviewEvent.objects.count()),
    ]


# Planning


class _Weighted:
    """Draws from a list, the first items more often than the last (weights 1/rank^exponent),
    so that some words are common and others rare."""

    def __init__(self, items, exponent=0.8):
        self.items = list(items)
        self.cumulative = list(
            itertools.accumulate(1 / rank**exponent for rank in range(1, len(self.items) + 1))
        )

    def draw(self, rng):
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def draw_distinct(self, rng, count):
        chosen = []
        for _attempt in range(count * 10):
            if len(chosen) == min(count, len(self.items)):
                break
            item = self.draw(rng)
            if item not in chosen:
                chosen.append(item)
        return chosen


@dataclass
class _Subject:
    """What one practice or partnership is about: its words come from here."""

    city: str
    topics: _Weighted
    groups: _Weighted
    city2: str = ""
    count: int = 0
    rare: str = ""


class _Writer:
    """Fills the sentence patterns of one language (see rvcu.benchmark_vocabulary)."""

    def __init__(self, language):
        self.language = language
        words = vocabulary.ENGLISH if language == "en" else vocabulary.FRENCH
        self.words = {name: _Weighted(values) for name, values in words.items()}
        self.general_topics = _Weighted(words["topic"], 1.0)
        self.groups = words["group"]
        self.field_topics = {
            slug: _Weighted(topics[language], 1.0)
            for slug, topics in vocabulary.FIELD_TOPICS.items()
        }
        self.patterns = {
            kind: [_compiled(text) for text in (texts if isinstance(texts, list) else [texts])]
            for kind, texts in vocabulary.SENTENCES[language].items()
        }

    def subject(self, rng, *, city, field_slugs, vulnerable, **extra):
        topics = [
            topic
            for slug in field_slugs
            if slug in self.field_topics
            for topic in self.field_topics[slug].draw_distinct(rng, 3)
        ]
        topics += self.general_topics.draw_distinct(rng, 2)
        groups = rng.sample(self.groups[:11], 2)
        if vulnerable:
            groups.insert(0, rng.choice(self.groups[11:]))
        return _Subject(city=city, topics=_Weighted(topics), groups=_Weighted(groups), **extra)

    def sentence(self, rng, kind, subject):
        patterns = self.patterns[kind]
        return self._fill(rng, patterns[rng.randrange(len(patterns))], subject)

    def sentences(self, rng, kind, subject, *, count):
        patterns = rng.sample(self.patterns[kind], count)
        return " ".join(self._fill(rng, pattern, subject) for pattern in patterns)

    def long_text(self, rng, kind, subject, *, words):
        """Paragraphs of at least `words` words; what was done is sometimes a list."""
        patterns, sentences, written = [], [], 0
        while written < words:
            if not patterns:  # each pattern once before any comes again
                patterns = rng.sample(self.patterns[kind], len(self.patterns[kind]))
            sentences.append(self._fill(rng, patterns.pop(), subject))
            written += sentences[-1].count(" ") + 1
        if kind == "actions" and rng.random() < 0.2:
            return "\n".join(f"- {sentence}" for sentence in sentences)
        paragraphs = []
        while sentences:
            size = rng.randint(2, 4)
            paragraphs.append(" ".join(sentences[:size]))
            sentences = sentences[size:]
        return "\n\n".join(paragraphs)

    def _fill(self, rng, pattern, subject):
        parts, drawn = [], {}
        for literal, name, capitalised in pattern:
            parts.append(literal)
            if name is not None:
                value = self._value(rng, name, subject)
                if name.endswith("2"):  # "jazz with jazz" reads badly: try for another one
                    for _attempt in range(5):
                        if value != drawn.get(name[:-1]):
                            break
                        value = self._value(rng, name, subject)
                drawn[name] = value
                parts.append(value[:1].upper() + value[1:] if capitalised else value)
        return "".join(parts)

    def _value(self, rng, name, subject):
        if name in ("topic", "topic2"):
            return subject.topics.draw(rng)
        if name in ("group", "group2"):
            return subject.groups.draw(rng)
        if name in ("bare_topic", "bare_topic2"):
            return _bare(subject.topics.draw(rng))
        if name == "de_topic":
            return _de(subject.topics.draw(rng))
        if name == "a_topic":
            return _a(subject.topics.draw(rng))
        if name == "de_group":
            return _de(subject.groups.draw(rng))
        if name == "de_bare_topic":
            return _de_bare(_bare(subject.topics.draw(rng)))
        if name in ("city", "city2", "rare"):
            return getattr(subject, name)
        if name == "count":
            return str(subject.count)
        if name == "number":
            return str(rng.randrange(120, 9000))
        if name == "small_number":
            return str(rng.randint(3, 40))
        if name == "percent":
            return str(rng.randint(12, 85))
        if name == "months":
            return str(rng.randint(6, 36))
        if name == "years":
            return str(rng.randint(2, 5))
        return self.words[name].draw(rng)


def _compiled(text):
    """[(literal text, placeholder or None, capitalised), ...]; "{Topic}" is a topic with a
    capital letter."""
    return [
        (literal, name and name.lower(), bool(name) and name[0].isupper())
        for literal, name, _spec, _conversion in string.Formatter().parse(text)
    ]


def _de(phrase):
    """'de' before a French phrase with its article: du jazz, des épices, de la poésie."""
    if phrase.startswith("le "):
        return "du " + phrase[3:]
    if phrase.startswith("les "):
        return "des " + phrase[4:]
    return "de " + phrase


def _a(phrase):
    if phrase.startswith("le "):
        return "au " + phrase[3:]
    if phrase.startswith("les "):
        return "aux " + phrase[4:]
    return "à " + phrase


def _bare(phrase):
    for article in ("le ", "la ", "les ", "l'"):
        if phrase.startswith(article):
            return phrase[len(article) :]
    return phrase


def _de_bare(word):
    return ("d'" if word[:1].lower() in "aàâeéèêiîoôuh" else "de ") + word


def _search_document(revision):
    """What Revision.save() stores, as bulk_create does not call save(): search_key() of the
    searched texts. anyascii maps characters one by one, so each non-ASCII character is
    transliterated once (not once per occurrence) and search_key gets ASCII text: the same
    result, many times faster."""
    text = " ".join(getattr(revision, name) or "" for name in revision.searched_texts)
    for character in set(text):
        if not character.isascii() and ord(character) not in _TRANSLITERATIONS:
            _TRANSLITERATIONS[ord(character)] = anyascii(character)
    return search_key(text.translate(_TRANSLITERATIONS))


_TRANSLITERATIONS = {}


class _Planner:
    def __init__(self, *, seed, now):
        self.rng = random.Random(seed)
        self.now = now
        self.today = timezone.localdate(now)
        self.plan = BenchmarkPlan()
        self.writers = {language: _Writer(language) for language in ("en", "fr")}
        self.cities = list(City.objects.members().select_related("field").order_by("slug"))
        self.fields = list(CreativeField.objects.order_by("slug"))
        self.objectives = _Weighted(Objective.objects.order_by("position", "code"), 0.5)
        self.action_areas = _Weighted(ActionArea.objects.order_by("position", "code"), 0.5)
        sdgs = {sdg.code: sdg for sdg in SustainableDevelopmentGoal.objects.order_by("position")}
        preferred = [sdgs.pop(code) for code in SDG_PREFERENCE if code in sdgs]
        self.sdgs = _Weighted(preferred + list(sdgs.values()), 1.0)
        self.by_field = defaultdict(list)
        self.by_region = defaultdict(list)
        for city in self.cities:
            self.by_field[city.field_id].append(city)
            self.by_region[city.region].append(city)
        # A few very active cities, most with a few items, some with none.
        self.city_weights = list(
            itertools.accumulate(
                0 if self.rng.random() < 0.08 else self.rng.lognormvariate(0, 1.4)
                for _city in self.cities
            )
        )
        self.practice_slugs = {
            *practice_services.RESERVED_SLUGS,
            *Practice.objects.values_list("slug", flat=True),
        }
        self.partnership_slugs = {
            *partnership_services.RESERVED_SLUGS,
            *Partnership.objects.values_list("slug", flat=True),
        }
        self.organisations_by_country = defaultdict(list)
        self.country_names = {}

    def build(self, *, practices, partnerships):
        self._plan_users()
        self._plan_organisations(min(ORGANISATION_POOL, max(20, partnerships)))
        self._plan_partnerships(partnerships)
        self._plan_practices(practices)
        # Keys follow time, as they would on a real site.
        for rows in (
            self.plan.partnerships,
            self.plan.partnership_revisions,
            self.plan.practices,
            self.plan.practice_revisions,
        ):
            rows.sort(key=lambda row: row.created_at)
        self.plan.events.sort(key=lambda pair: pair[1].created_at)
        return self.plan

    # People

    def _plan_users(self):
        User = get_user_model()
        unusable = make_password(None)
        self.secretariat = User(
            email=f"secretariat@{EMAIL_DOMAIN}",
            first_name="Secretariat",
            last_name="Benchmark",
            is_staff=True,
            password=unusable,
        )
        self.plan.users.append(self.secretariat)
        self.coordinator_of = {}
        for city in self.cities:
            person = User(
                email=f"coordinator.{city.slug}@{EMAIL_DOMAIN}",
                first_name="Coordinator",
                last_name=city.name,
                language="fr" if self._speaks_french(city) else "en",
                password=unusable,
            )
            self.coordinator_of[city.pk] = person
            self.plan.users.append(person)
            self.plan.coordinators.append((city, person))

    # Partner organisations

    def _plan_organisations(self, count):
        rng, seen = self.rng, set()
        sectors = list(Sector.values)
        for _attempt in range(count * 20):
            if len(seen) == count:
                break
            sector = rng.choices(sectors, weights=[30, 25, 25, 15, 5])[0]
            city = rng.choice(self.cities)
            name = self._organisation_name(sector, city)
            key = (Organisation.key_of(name), city.country.code)
            if key in seen:
                continue
            seen.add(key)
            organisation = Organisation(
                name=name,
                name_key=key[0],
                sector=sector,
                country=city.country.code,
                website=f"https://www.example.org/{len(seen)}" if rng.random() < 0.4 else "",
                created_at=self._moment(YEARS_OF_HISTORY * 365),
            )
            self.plan.organisations.append(organisation)
            self.organisations_by_country[city.country.code].append(organisation)
        self.popular_organisations = _Weighted(self.plan.organisations, 0.6)

    def _organisation_name(self, sector, city):
        """A name an organisation of `sector` in `city` could have, in the city's language."""
        rng = self.rng
        language = "fr" if self._speaks_french(city) else "en"
        return rng.choice(vocabulary.ORGANISATION_NAMES[sector][language]).format(
            city=city.name,
            country=self._country_name(city.country, language),
            word=rng.choice(vocabulary.NAME_WORDS),
            surname=rng.choice(vocabulary.SURNAMES),
        )

    def _country_name(self, country, language):
        key = (country.code, language)
        if key not in self.country_names:
            with translation.override(language):
                self.country_names[key] = str(country.name)
        return self.country_names[key]

    def _organisations_for(self, cities, count):
        rng, chosen = self.rng, []
        for _attempt in range(count * 10):
            if len(chosen) == count:
                break
            local = self.organisations_by_country.get(rng.choice(cities).country.code)
            if local and rng.random() < 0.7:
                organisation = rng.choice(local)
            else:
                organisation = self.popular_organisations.draw(rng)
            if organisation not in chosen:
                chosen.append(organisation)
        return chosen

    # Partnerships

    def _plan_partnerships(self, count):
        rng = self.rng
        self.partnerships_of_city = defaultdict(list)  # published, where the city takes part
        for state in self._states(count):
            lead = self._active_city()
            taking_part = rng.choices(range(2, 9), weights=[35, 25, 15, 10, 7, 5, 3])[0]
            others = self._partner_cities(lead, taking_part - 1 + 2)
            partners, extra = others[: taking_part - 1], others[taking_part - 1 :]
            writer = self.writers["fr" if self._prefers_french(lead) else "en"]
            field_slugs = [lead.field.slug]
            if partners and rng.random() < 0.4:
                field_slugs = list(dict.fromkeys([*field_slugs, rng.choice(partners).field.slug]))
            subject = writer.subject(
                rng,
                city=lead.name,
                field_slugs=field_slugs,
                vulnerable=rng.random() < 0.3,
                city2=partners[0].name if partners else lead.name,
                count=taking_part,
            )
            title = writer.sentence(rng, "partnership_title", subject)[:200]
            slug = _free_slug(title, fallback="partnership", taken=self.partnership_slugs)
            created, submitted, changed = self._timeline(state, city=lead)
            coordinator = self.coordinator_of[lead.pk]
            partnership = Partnership(
                slug=slug, lead_city=lead, created_by=coordinator, created_at=created
            )
            revision = PartnershipRevision(
                partnership=partnership,
                number=1,
                state=state,
                state_changed_at=changed,
                author=coordinator,
                created_at=created,
                updated_at=changed,
                title=title,
                kind=rng.choices(list(PartnershipKind.values), weights=[30, 15, 25, 15, 15])[0],
                summary=_within(
                    writer.sentences(rng, "partnership_summary", subject, count=3), 400
                ),
                description="\n\n".join(
                    writer.long_text(rng, kind, subject, words=rng.randint(low, high))
                    for kind, low, high in (
                        ("actions", 60, 150),
                        ("results", 40, 90),
                        ("transferability", 30, 70),
                    )
                ),
                website=f"https://www.example.org/partnerships/{slug}"
                if rng.random() < 0.4
                else "",
                **self._partnership_dates(),
            )
            revision.search_document = _search_document(revision)
            self.plan.partnerships.append(partnership)
            self.plan.partnership_revisions.append(revision)
            self._plan_participations(partnership, state, lead, partners, extra, created)
            self._plan_partnership_tags(revision, field_slugs)
            for organisation in self._organisations_for(
                [lead, *partners], rng.choices(range(1, 6), weights=[30, 30, 20, 12, 8])[0]
            ):
                organisation.created_at = min(organisation.created_at, created)
                self.plan.organisation_roles.append(
                    OrganisationRole(
                        revision=revision,
                        organisation=organisation,
                        role=writer.words["role"].draw(rng) if rng.random() < 0.8 else "",
                    )
                )
            if rng.random() < CALL_SHARE:
                self._plan_calls(revision, writer, subject, lead)
            self._plan_review_events(revision, state, coordinator, submitted, changed)
            if state == ReviewState.PUBLISHED:
                for city in (lead, *partners):
                    self.partnerships_of_city[city.pk].append(partnership)

    def _partner_cities(self, lead, count):
        """Other member cities, most of them of the lead city's field or region."""
        rng, chosen = self.rng, []
        for _attempt in range(count * 10):
            if len(chosen) == count:
                break
            draw = rng.random()
            if draw < 0.5:
                pool = self.by_field[lead.field_id]
            elif draw < 0.75:
                pool = self.by_region[lead.region]
            else:
                pool = self.cities
            city = rng.choice(pool)
            if city != lead and city not in chosen:
                chosen.append(city)
        return chosen

    def _plan_participations(self, partnership, state, lead, partners, extra, created):
        rng = self.rng
        lead_coordinator = self.coordinator_of[lead.pk]
        self.plan.participations.append(
            Participation(
                partnership=partnership,
                city=lead,
                role=ParticipationRole.LEAD,
                status=ParticipationStatus.ACCEPTED,
                invited_by=lead_coordinator,
                answered_by=lead_coordinator,
                answered_at=created,
                created_at=created,
            )
        )
        published = state == ReviewState.PUBLISHED
        invited = [
            (city, ParticipationStatus.ACCEPTED)
            if published or rng.random() < 0.4
            else (city, ParticipationStatus.INVITED)
            for city in partners
        ]
        if extra and rng.random() < 0.15:
            invited.append((extra[0], ParticipationStatus.INVITED))
        if len(extra) > 1 and rng.random() < 0.10:
            invited.append((extra[1], ParticipationStatus.DECLINED))
        for city, status in invited:
            invited_at = min(created + timedelta(hours=rng.randint(1, 72)), self.now)
            answered = status != ParticipationStatus.INVITED
            answered_at = min(invited_at + timedelta(days=rng.randint(1, 30)), self.now)
            self.plan.participations.append(
                Participation(
                    partnership=partnership,
                    city=city,
                    role=ParticipationRole.PARTNER,
                    status=status,
                    invited_by=lead_coordinator,
                    answered_by=self.coordinator_of[city.pk] if answered else None,
                    answered_at=answered_at if answered else None,
                    created_at=invited_at,
                )
            )

    def _partnership_dates(self):
        """Start and end dates that agree with the state of progress, today."""
        rng, today = self.rng, self.today
        progress = rng.choices(list(Progress.values), weights=[15, 45, 40])[0]
        if progress == Progress.PLANNED:
            start = today + timedelta(days=rng.randint(10, 300))
            end = start + timedelta(days=rng.randint(90, 1100))
        elif progress == Progress.ONGOING:
            start = today - timedelta(days=rng.randint(30, 1500))
            end = today + timedelta(days=rng.randint(30, 900))
        else:
            end = today - timedelta(days=rng.randint(10, 2000))
            start = end - timedelta(days=rng.randint(60, 1100))
        if progress != Progress.COMPLETED and rng.random() < 0.25:
            end = None
        return {"progress": progress, "start_date": start, "end_date": end}

    def _plan_calls(self, revision, writer, subject, lead):
        rng, today = self.rng, self.today
        calls = rng.choices([1, 2], weights=[75, 25])[0]
        for number in range(1, calls + 1):
            timing = rng.choices(["open", "soon", "closed"], weights=[40, 20, 40])[0]
            if timing == "open":
                opens = today - timedelta(days=rng.randint(0, 60))
                closes = today + timedelta(days=rng.randint(0, 90))
            elif timing == "soon":
                opens = today + timedelta(days=rng.randint(1, 60))
                closes = opens + timedelta(days=rng.randint(14, 90))
            else:
                closes = today - timedelta(days=rng.randint(1, 900))
                opens = closes - timedelta(days=rng.randint(14, 90))
            by_link = rng.random() < 0.7
            self.plan.open_calls.append(
                OpenCall(
                    revision=revision,
                    title=writer.sentence(rng, "call_title", subject)[:200],
                    opens_on=opens,
                    closes_on=closes,
                    eligibility=writer.sentence(rng, "eligibility", subject),
                    link=f"https://www.example.org/calls/{revision.partnership.slug}/{number}"
                    if by_link
                    else "",
                    contact_email="" if by_link else f"calls@{lead.slug}.example.org",
                )
            )

    def _plan_partnership_tags(self, revision, field_slugs):
        rng = self.rng
        kind_area = {
            PartnershipKind.EXCHANGE: "exchange-programmes",
            PartnershipKind.STUDY: "studies-and-evaluation",
        }.get(revision.kind, "projects-and-partnerships")
        objectives = self.objectives.draw_distinct(rng, rng.randint(1, 3))
        areas = self.action_areas.draw_distinct(rng, rng.randint(0, 2))
        self._tag(revision, "fields", [self._field(slug).pk for slug in field_slugs])
        self._tag(revision, "objectives", [tag.pk for tag in objectives])
        self._tag(
            revision,
            "action_areas",
            sorted(
                {tag.pk for tag in areas}
                | {tag.pk for tag in self.action_areas.items if tag.code == kind_area}
            ),
        )
        self._tag(
            revision, "sdgs", [tag.pk for tag in self.sdgs.draw_distinct(rng, rng.randint(1, 3))]
        )

    # Practices

    def _plan_practices(self, count):
        rng = self.rng
        states = self._states(count)
        published_indexes = [
            index for index, state in enumerate(states) if state == ReviewState.PUBLISHED
        ]
        newer_drafts = set(
            rng.sample(
                published_indexes, min(len(published_indexes), round(count * NEWER_DRAFT_SHARE))
            )
        )
        for index, state in enumerate(states):
            city = self._active_city()
            writer = self.writers["fr" if self._prefers_french(city) else "en"]
            field_slugs = [city.field.slug]
            if rng.random() < 0.25:
                field_slugs = list(dict.fromkeys([*field_slugs, rng.choice(self.fields).slug]))
            vulnerable = rng.random() < VULNERABLE_GROUP_SHARE
            subject = writer.subject(
                rng,
                city=city.name,
                field_slugs=field_slugs,
                vulnerable=vulnerable,
                rare=rng.choice(vocabulary.RARE_WORDS) if rng.random() < 0.02 else "",
            )
            title = writer.sentence(rng, "title", subject)[:200]
            slug = _free_slug(title, fallback="practice", taken=self.practice_slugs)
            created, submitted, changed = self._timeline(state, city=city)
            coordinator = self.coordinator_of[city.pk]
            practice = Practice(slug=slug, city=city, created_by=coordinator, created_at=created)
            content = self._practice_content(rng, writer, subject, city, vulnerable, changed, state)
            revision = PracticeRevision(
                practice=practice,
                number=1,
                state=state,
                state_changed_at=changed,
                author=coordinator,
                created_at=created,
                updated_at=changed,
                title=title,
                **content,
            )
            revision.search_document = _search_document(revision)
            self.plan.practices.append(practice)
            self.plan.practice_revisions.append(revision)
            tags = self._practice_tags(field_slugs, vulnerable)
            for name, keys in tags.items():
                self._tag(revision, name, keys)
            self._plan_review_events(revision, state, coordinator, submitted, changed)
            if index in newer_drafts:
                self._plan_newer_draft(practice, revision, content, tags, writer, subject, changed)

    def _practice_content(self, rng, writer, subject, city, vulnerable, changed, state):
        results = writer.long_text(rng, "results", subject, words=rng.randint(80, 250))
        if subject.rare:
            results += " " + writer.sentence(rng, "rare", subject)
        # Between the city's designation and the year the practice was last written about.
        last_year = max(city.designation_year, timezone.localtime(changed).year)
        year_started = city.designation_year + int(
            rng.random() * (last_year - city.designation_year + 1)
        )
        partnerships = self.partnerships_of_city.get(city.pk)
        partners = [
            self._organisation_name(sector, city)
            for sector in rng.sample(list(Sector.values), rng.randint(1, 3))
        ]
        return {
            "language": writer.language,
            "summary": _within(
                writer.sentences(rng, "summary", subject, count=rng.randint(2, 3)), 600
            ),
            "challenge": writer.long_text(rng, "challenge", subject, words=rng.randint(80, 250)),
            "actions": writer.long_text(rng, "actions", subject, words=rng.randint(80, 250)),
            "results": results,
            "transferability": writer.long_text(
                rng, "transferability", subject, words=rng.randint(80, 250)
            ),
            "year_started": year_started,
            "is_ongoing": rng.random() < (0.8 if year_started >= self.today.year - 3 else 0.4),
            "partners": ", ".join(partners),
            "target_groups": ", ".join(subject.groups.items),
            "reaches_vulnerable_groups": vulnerable,
            "budget_range": rng.choices(["", *BudgetRange.values], weights=[15, 25, 35, 20, 5])[0],
            "contact_role": writer.words["contact_role"].draw(rng) if rng.random() < 0.6 else "",
            "links": f"https://www.example.org/{city.slug}/practices/{rng.randrange(10**6)}"
            if rng.random() < 0.4
            else "",
            "partnership": rng.choice(partnerships)
            if partnerships
            and state == ReviewState.PUBLISHED
            and rng.random() < PRACTICE_FROM_PARTNERSHIP_SHARE
            else None,
        }

    def _practice_tags(self, field_slugs, vulnerable):
        rng = self.rng
        objectives = {tag.pk for tag in self.objectives.draw_distinct(rng, rng.randint(1, 3))}
        if vulnerable and rng.random() < 0.7:
            objectives |= {
                tag.pk for tag in self.objectives.items if tag.code == "access-to-cultural-life"
            }
        return {
            "fields": [self._field(slug).pk for slug in field_slugs],
            "objectives": sorted(objectives),
            "action_areas": [
                tag.pk for tag in self.action_areas.draw_distinct(rng, rng.randint(1, 3))
            ],
            "sdgs": [tag.pk for tag in self.sdgs.draw_distinct(rng, rng.randint(1, 4))],
        }

    def _plan_newer_draft(self, practice, published, content, tags, writer, subject, published_at):
        """The city edits its published practice: a second revision, a draft, copied from the
        published one (as rvcu.revisions.copy_as_draft does) with a sentence added."""
        rng = self.rng
        edited_at = published_at + (self.now - published_at) * rng.uniform(0.2, 0.95)
        content = {
            **content,
            "results": content["results"] + " " + writer.sentence(rng, "results", subject),
        }
        draft = PracticeRevision(
            practice=practice,
            number=2,
            state=ReviewState.DRAFT,
            state_changed_at=edited_at,
            author=published.author,
            created_at=edited_at,
            updated_at=edited_at,
            title=published.title,
            **content,
        )
        draft.search_document = _search_document(draft)
        self.plan.practice_revisions.append(draft)
        for name, keys in tags.items():
            self._tag(draft, name, keys)

    # Shared

    def _states(self, published):
        """`published` times PUBLISHED, then about NON_PUBLIC_SHARE more in the other states."""
        others = self.rng.choices(
            list(NON_PUBLIC_STATES),
            weights=list(NON_PUBLIC_STATES.values()),
            k=round(published * NON_PUBLIC_SHARE),
        )
        return [ReviewState.PUBLISHED] * published + others

    def _timeline(self, state, *, city):
        """(created, submitted or None, state changed) of an item of `city` now in `state`:
        published ones over the last years (more of them lately, none before the city's year
        of designation), the others in the last months."""
        rng = self.rng
        designated = datetime(city.designation_year, 1, 1, tzinfo=self.now.tzinfo)
        days_since_designation = max(0, (self.now - designated).days)
        if state == ReviewState.PUBLISHED:
            changed = self._moment(min(YEARS_OF_HISTORY * 365, days_since_designation))
            submitted = changed - timedelta(seconds=rng.randint(3600, 30 * 86400))
            return submitted - timedelta(seconds=rng.randint(600, 60 * 86400)), submitted, changed
        changed = self._moment(min(120, days_since_designation))
        if state == ReviewState.DRAFT:
            return changed - timedelta(seconds=rng.randint(0, 30 * 86400)), None, changed
        if state == ReviewState.SUBMITTED:
            return changed - timedelta(seconds=rng.randint(600, 60 * 86400)), changed, changed
        submitted = changed - timedelta(seconds=rng.randint(3600, 20 * 86400))
        return submitted - timedelta(seconds=rng.randint(600, 60 * 86400)), submitted, changed

    def _moment(self, days):
        """A moment in the last `days` days, recent ones more likely."""
        return self.now - timedelta(seconds=int(days * 86400 * self.rng.random() ** 1.5) + 60)

    def _plan_review_events(self, revision, state, author, submitted, changed):
        steps = []
        if submitted is not None:
            steps.append(
                (
                    ReviewAction.SUBMIT,
                    ReviewState.DRAFT,
                    ReviewState.SUBMITTED,
                    author,
                    submitted,
                    "",
                )
            )
        if state == ReviewState.PUBLISHED:
            steps.append(
                (ReviewAction.PUBLISH, ReviewState.SUBMITTED, state, self.secretariat, changed, "")
            )
        elif state == ReviewState.CHANGES_REQUESTED:
            message = self.rng.choice(vocabulary.CHANGE_REQUESTS)
            steps.append(
                (
                    ReviewAction.REQUEST_CHANGES,
                    ReviewState.SUBMITTED,
                    state,
                    self.secretariat,
                    changed,
                    message,
                )
            )
        for action, from_state, to_state, actor, moment, message in steps:
            event = ReviewEvent(
                action=action,
                from_state=from_state,
                to_state=to_state,
                actor=actor,
                message=message,
                created_at=moment,
            )
            self.plan.events.append((revision, event))

    def _tag(self, revision, name, keys):
        self.plan.tags.append((revision, name, list(keys)))

    def _field(self, slug):
        return next(creative_field for creative_field in self.fields if creative_field.slug == slug)

    def _active_city(self):
        position = bisect.bisect(self.city_weights, self.rng.random() * self.city_weights[-1])
        return self.cities[position]

    def _speaks_french(self, city):
        return city.country.code in vocabulary.FRENCH_SPEAKING_COUNTRIES

    def _prefers_french(self, city):
        """The language a city writes in: mostly French in French-speaking countries."""
        return self.rng.random() < (0.85 if self._speaks_french(city) else 0.07)


def _free_slug(text, *, fallback, taken):
    """The slug rvcu.revisions.unique_slug gives, checked against `taken` (the slugs in the
    database and those planned) rather than with one query per row, which took a third of the
    planning time; the new slug is added to `taken`."""
    base = ascii_slug(text)[:120] or fallback
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _within(text, limit):
    """`text` cut after its last whole sentence that fits in `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(". ") + 1] or cut.rstrip()


# Writing


@contextmanager
def _timestamps_as_planned(*models):
    """Keep the creation and update dates the plan gives: bulk_create would set fields with
    auto_now or auto_now_add to the current time, and a data set created in one second has no
    meaningful "newest first"."""
    changed = [
        (model_field, model_field.auto_now, model_field.auto_now_add)
        for model in models
        for model_field in model._meta.concrete_fields
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)
    ]
    for model_field, _auto_now, _auto_now_add in changed:
        model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in changed:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def _save_reusing(rows, model, *, key):
    """Insert `rows`, except those already in the database (same `key`), which take the key
    of the existing row: a rerun after the practices were deleted finds its people again."""
    keys = {key(row) for row in rows}
    existing = {key(row): row.pk for row in model.objects.all() if key(row) in keys}
    for row in rows:
        row.pk = existing.get(key(row))
    model.objects.bulk_create([row for row in rows if row.pk is None], batch_size=BATCH_SIZE)


def _save_tags(tags):
    rows = defaultdict(list)
    for revision, name, keys in tags:
        relation = type(revision)._meta.get_field(name)
        through = relation.remote_field.through
        source, target = (
            f"{relation.m2m_field_name()}_id",
            f"{relation.m2m_reverse_field_name()}_id",
        )
        rows[through].extend(through(**{source: revision.pk, target: key}) for key in keys)
    for through, through_rows in rows.items():
        through.objects.bulk_create(through_rows, batch_size=BATCH_SIZE)


def _save_events(events):
    content_types = {}
    for revision, event in events:
        model = type(revision)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        event.content_type = content_types[model]
        event.object_id = revision.pk
    ReviewEvent.objects.bulk_create([event for _revision, event in events], batch_size=BATCH_SIZE)


def _point_to_published_revisions(document_model, revision_model, document_field):
    published = revision_model.objects.published().filter(**{document_field: OuterRef("pk")})
    document_model.objects.filter(
        published_revision__isnull=True,
        pk__in=revision_model.objects.published().values(document_field),
    ).update(published_revision=Subquery(published.values("pk")[:1]))
