"""UNESCO's five regions and the region of each country or territory.

The groups follow UNESCO's regional grouping of its Member States (the 'Arab States' are the
nineteen Arab Member States and Palestine; Israel, Türkiye and the Caucasus sit with Europe and
North America). Territories that are not Member States are placed with the region they lie in.
A city can override the region in the admin.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    ARAB_STATES = "arab-states", _("Arab States")
    ASIA_PACIFIC = "asia-pacific", _("Asia and the Pacific")
    EUROPE_NORTH_AMERICA = "europe-north-america", _("Europe and North America")
    LATIN_AMERICA_CARIBBEAN = "latin-america-caribbean", _("Latin America and the Caribbean")


_REGION_COUNTRIES = {
    Region.AFRICA: """
        AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MU MW
        MZ NA NE NG RE RW SC SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW
    """,
    Region.ARAB_STATES: """
        AE BH DZ EG EH IQ JO KW LB LY MA MR OM PS QA SA SD SY TN YE
    """,
    Region.ASIA_PACIFIC: """
        AF AS AU BD BN BT CC CK CN CX FJ FM GU HK HM ID IN IO IR JP KG KH KI KP KR KZ LA LK
        MH MM MN MO MP MV MY NC NF NP NR NU NZ PF PG PH PK PN PW SB SG TF TH TJ TK TL TM TO
        TV TW UM UZ VN VU WF WS
    """,
    Region.EUROPE_NORTH_AMERICA: """
        AD AL AM AT AX AZ BA BE BG BM BY CA CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GL GR
        HR HU IE IL IM IS IT JE LI LT LU LV MC MD ME MK MT NL NO PL PM PT RO RS RU SE SI SJ
        SK SM TR UA US VA
    """,
    Region.LATIN_AMERICA_CARIBBEAN: """
        AG AI AR AW BB BL BO BQ BR BS BV BZ CL CO CR CU CW DM DO EC FK GD GF GP GS GT GY HN
        HT JM KN KY LC MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI
    """,
}

COUNTRY_REGION = {
    code: region for region, codes in _REGION_COUNTRIES.items() for code in codes.split()
}


def region_for_country(country_code):
    """The UNESCO region of an ISO 3166-1 alpha-2 code, or None when the code is unknown."""
    return COUNTRY_REGION.get(str(country_code).upper())
