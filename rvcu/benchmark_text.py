"""The texts of the benchmark data (rvcu.benchmark_data): sentence patterns of
rvcu.benchmark_vocabulary filled with words drawn with unequal weights; their slugs and search
documents."""

import bisect
import itertools
import string
from dataclasses import dataclass

from . import benchmark_vocabulary as vocabulary


class Weighted:
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
class Subject:
    """What one practice or partnership is about: its words come from here."""

    city: str
    topics: Weighted
    groups: Weighted
    city2: str = ""
    count: int = 0
    rare: str = ""


class Writer:
    """Fills the sentence patterns of one language (see rvcu.benchmark_vocabulary)."""

    def __init__(self, language):
        self.language = language
        words = vocabulary.ENGLISH if language == "en" else vocabulary.FRENCH
        self.words = {name: Weighted(values) for name, values in words.items()}
        self.general_topics = Weighted(words["topic"], 1.0)
        self.groups = words["group"]
        self.field_topics = {
            slug: Weighted(topics[language], 1.0)
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
        return Subject(city=city, topics=Weighted(topics), groups=Weighted(groups), **extra)

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


def within(text, limit):
    """`text` cut after its last whole sentence that fits in `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(". ") + 1] or cut.rstrip()
