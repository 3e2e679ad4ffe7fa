"""The plan of the benchmark data (rvcu.benchmark_data): unsaved rows, linked to each other as
objects, drawn from `random.Random(seed)` alone; dates are offsets from `now`, so the same seed
gives the same content whatever the day."""

import bisect
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone, translation

from cities.models import City, CreativeField
from partnerships.models import Organisation, Partnership, Sector
from practices.models import ActionArea, Objective, Practice, SustainableDevelopmentGoal

from . import benchmark_vocabulary as vocabulary
from .benchmark_partnerships import PartnershipPlanning
from .benchmark_practices import PracticePlanning
from .benchmark_text import Weighted, Writer
from .models import ReviewEvent
from .review import ReviewAction, ReviewState
from .revisions import former_addresses

EMAIL_DOMAIN = "benchmark.example.org"
NON_PUBLIC_SHARE = 0.10  # drafts, submissions and sent-back items, on top of the published ones
YEARS_OF_HISTORY = 6
ORGANISATION_POOL = 2000
NON_PUBLIC_STATES = {
    ReviewState.DRAFT: 4,
    ReviewState.SUBMITTED: 3,
    ReviewState.CHANGES_REQUESTED: 3,
}
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


def taken_slugs(model):
    """The addresses and former addresses of the stored `model` documents."""
    return {
        *model.objects.exclude(slug=None).values_list("slug", flat=True),
        *former_addresses(model).values_list("slug", flat=True),
    }


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


class Planner(PartnershipPlanning, PracticePlanning):
    """Plans the rows of a data set (build); the partnerships and the practices are planned by
    its parts, with the helpers below."""

    def __init__(self, *, seed, now):
        self.rng = random.Random(seed)
        self.now = now
        self.today = timezone.localdate(now)
        self.plan = BenchmarkPlan()
        self.writers = {language: Writer(language) for language in ("en", "fr")}
        self.cities = list(City.objects.members().select_related("field").order_by("slug"))
        self.fields = list(CreativeField.objects.order_by("slug"))
        self.objectives = Weighted(Objective.objects.order_by("position", "code"), 0.5)
        self.action_areas = Weighted(ActionArea.objects.order_by("position", "code"), 0.5)
        sdgs = {sdg.code: sdg for sdg in SustainableDevelopmentGoal.objects.order_by("position")}
        preferred = [sdgs.pop(code) for code in SDG_PREFERENCE if code in sdgs]
        self.sdgs = Weighted(preferred + list(sdgs.values()), 1.0)
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
        self.practice_slugs = taken_slugs(Practice)
        self.partnership_slugs = taken_slugs(Partnership)
        self.organisations_by_country = defaultdict(list)
        # (name key, country) -> (sector, website): what every partnership says of it.
        self.organisation_descriptions = {}
        self.partnerships_of_city = defaultdict(list)  # published, where the city takes part
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
            website = f"https://www.example.org/{len(seen)}" if rng.random() < 0.4 else ""
            self.organisation_descriptions[key] = (sector, website)
            organisation = Organisation(
                name=name,
                name_key=key[0],
                country=city.country.code,
                created_at=self._moment(YEARS_OF_HISTORY * 365),
            )
            self.plan.organisations.append(organisation)
            self.organisations_by_country[city.country.code].append(organisation)
        self.popular_organisations = Weighted(self.plan.organisations, 0.6)

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
        """The history the workflow would have written: submitted by the city's coordinator,
        then published or sent back by the secretariat."""

        def event(action, from_state, actor, moment, message=""):
            to_state = ReviewState.SUBMITTED if action == ReviewAction.SUBMIT else state
            self.plan.events.append(
                (
                    revision,
                    ReviewEvent(
                        action=action,
                        from_state=from_state,
                        to_state=to_state,
                        actor=actor,
                        message=message,
                        created_at=moment,
                    ),
                )
            )

        if submitted is not None:
            event(ReviewAction.SUBMIT, ReviewState.DRAFT, author, submitted)
        if state == ReviewState.PUBLISHED:
            event(ReviewAction.PUBLISH, ReviewState.SUBMITTED, self.secretariat, changed)
        elif state == ReviewState.CHANGES_REQUESTED:
            message = self.rng.choice(vocabulary.CHANGE_REQUESTS)
            event(
                ReviewAction.REQUEST_CHANGES,
                ReviewState.SUBMITTED,
                self.secretariat,
                changed,
                message,
            )

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
