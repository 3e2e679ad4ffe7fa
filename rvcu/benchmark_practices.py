"""The practices of the benchmark data: a part of rvcu.benchmark_plan.Planner."""

from django.utils import timezone

from partnerships.models import Sector
from practices.models import BudgetRange, Practice, PracticeRevision

from . import benchmark_vocabulary as vocabulary
from .benchmark_text import within
from .review import ReviewState
from .revisions import EVER_PUBLISHED, free_slug

NEWER_DRAFT_SHARE = 0.01  # published practices whose city is editing a new draft
PRACTICE_FROM_PARTNERSHIP_SHARE = 0.10
VULNERABLE_GROUP_SHARE = 0.35
RARE_WORD_SHARE = 0.02


class PracticePlanning:
    """Practices of member cities, some naming a partnership their city takes part in, a few
    published ones with a newer draft. Uses the planner's shared helpers; runs after the
    partnerships."""

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
                rare=rng.choice(vocabulary.RARE_WORDS) if rng.random() < RARE_WORD_SHARE else "",
            )
            title = writer.sentence(rng, "title", subject)[:200]
            # Checked against the planned and stored slugs, not with a query per row.
            slug = free_slug(title, fallback="practice", is_taken=self.practice_slugs.__contains__)
            self.practice_slugs.add(slug)
            address = slug if state in EVER_PUBLISHED else None
            created, submitted, changed = self._timeline(state, city=city)
            coordinator = self.coordinator_of[city.pk]
            practice = Practice(slug=address, city=city, created_by=coordinator, created_at=created)
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
            revision.search_document = revision.build_search_document()
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
            "summary": within(
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
        draft.search_document = draft.build_search_document()
        self.plan.practice_revisions.append(draft)
        for name, keys in tags.items():
            self._tag(draft, name, keys)
