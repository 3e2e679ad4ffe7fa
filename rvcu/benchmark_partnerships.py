"""The partnerships of the benchmark data: a part of rvcu.benchmark_plan.Planner."""

from datetime import timedelta

from partnerships.models import (
    OpenCall,
    OrganisationRole,
    Participation,
    ParticipationRole,
    ParticipationStatus,
    Partnership,
    PartnershipKind,
    PartnershipRevision,
    Progress,
)

from .benchmark_text import within
from .review import ReviewState
from .revisions import EVER_PUBLISHED, free_slug

CALL_SHARE = 0.15  # partnerships with calls for applications


class PartnershipPlanning:
    """Partnerships led by member cities, with the cities they invited, their partner
    organisations and calls for applications. Uses the planner's shared helpers."""

    def _plan_partnerships(self, count):
        rng = self.rng
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
            # Checked against the planned and stored slugs, not with a query per row.
            slug = free_slug(
                title, fallback="partnership", is_taken=self.partnership_slugs.__contains__
            )
            self.partnership_slugs.add(slug)
            address = slug if state in EVER_PUBLISHED else None
            created, submitted, changed = self._timeline(state, city=lead)
            coordinator = self.coordinator_of[lead.pk]
            partnership = Partnership(
                slug=address, lead_city=lead, created_by=coordinator, created_at=created
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
                summary=within(writer.sentences(rng, "partnership_summary", subject, count=3), 400),
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
            revision.search_document = revision.build_search_document()
            self.plan.partnerships.append(partnership)
            self.plan.partnership_revisions.append(revision)
            self._plan_participations(partnership, state, lead, partners, extra, created)
            self._plan_partnership_tags(revision, field_slugs)
            for organisation in self._organisations_for(
                [lead, *partners], rng.choices(range(1, 6), weights=[30, 30, 20, 12, 8])[0]
            ):
                organisation.created_at = min(organisation.created_at, created)
                sector, website = self.organisation_descriptions[
                    (organisation.name_key, organisation.country.code)
                ]
                self.plan.organisation_roles.append(
                    OrganisationRole(
                        revision=revision,
                        organisation=organisation,
                        sector=sector,
                        website=website,
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
                    link=f"https://www.example.org/calls/{lead.slug}/{number}" if by_link else "",
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
