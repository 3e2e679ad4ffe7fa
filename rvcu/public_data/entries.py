"""Reading the entries of a public data document, with problems that name the entry."""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class PublicDataError(Exception):
    """The document cannot be imported; the message says why, naming the bad entry."""


@contextmanager
def about(label):
    """Problems raised inside are about the entry `label`."""
    try:
        yield
    except ValidationError as error:
        raise PublicDataError(f"{label}: {describe(error)}") from error
    except PublicDataError as error:
        raise PublicDataError(f"{label}: {error}") from error


def describe(error):
    """A ValidationError as one line, each message after the name of its field."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        " ".join(messages) if name == NON_FIELD_ERRORS else f"{name}: {' '.join(messages)}"
        for name, messages in error.message_dict.items()
    )


def entries(document, section, key="slug"):
    """(label, entry) for each entry of the list `section`: "practices[12] (slug 'x')"."""
    for index, entry in enumerate(document[section]):
        label = f"{section}[{index}]"
        if isinstance(entry, dict) and isinstance(entry.get(key), str):
            label = f"{label} ({key} '{entry[key]}')"
        yield label, entry


def pick(entry, keys):
    """The values of `keys` in `entry`, every one of them required."""
    if not isinstance(entry, dict):
        raise PublicDataError("not a JSON object")
    missing = [key for key in keys if key not in entry]
    if missing:
        raise PublicDataError(f"missing key {', '.join(repr(key) for key in missing)}")
    return {key: entry[key] for key in keys}


def list_in(entry, key):
    value = pick(entry, [key])[key]
    if not isinstance(value, list):
        raise PublicDataError(f"'{key}' is not a list")
    return value


def lookup(known, value, model):
    try:
        return known[value]
    except (KeyError, TypeError):
        raise PublicDataError(f"unknown {model._meta.verbose_name} {value!r}") from None


def refuse_twice(taken, value, key):
    if value in taken:
        raise PublicDataError(f"the {key} {value!r} is listed twice")


def check(instance, *, exclude):
    """full_clean without the uniqueness and constraint checks that query the database for
    each row (slugs are checked in memory; foreign keys in `exclude` point to rows the
    import holds)."""
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
