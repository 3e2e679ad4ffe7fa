"""Reads shared by the pages of the directory."""

from django.db.models import Count, Q

from .models import City, CreativeField


def field_list_with_city_counts():
    """The creative fields in display order, each with `city_count` (current members)."""
    return CreativeField.objects.annotate(
        city_count=Count("cities", filter=Q(cities__is_member=True))
    ).order_by("position", "slug")


def network_figures():
    """Numbers of member cities, countries and regions, in one query."""
    return City.objects.members().aggregate(
        cities=Count("id"),
        countries=Count("country", distinct=True),
        regions=Count("region", distinct=True),
    )


def city_list():
    return City.objects.members().with_field()


# What the network map needs of each city, and nothing more.
MAP_FIELDS = (
    "name",
    "slug",
    "latitude",
    "longitude",
    "field__slug",
    "field__colour",
    "field__position",
    "field__name_en",
    "field__name_fr",
)


def map_cities(cities):
    return cities.select_related(None).select_related("field").only(*MAP_FIELDS)


def city_get(slug):
    return City.objects.with_field().get(slug=slug)


def city_neighbours(city, *, limit):
    """Other members of the city's field and of its country, at most `limit` of each."""
    others = City.objects.members().exclude(pk=city.pk)
    same_field = others.filter(field_id=city.field_id).select_related("field")
    same_country = others.filter(country=city.country).select_related("field")
    return list(same_field[:limit]), list(same_country[:limit])


def cities_coordinated_by(user):
    return City.objects.filter(coordinators=user).select_related("field").order_by("name")
