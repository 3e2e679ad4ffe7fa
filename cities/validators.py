from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_DESIGNATION_YEAR = 2004


def validate_not_future_year(year):
    current_year = timezone.now().year
    if year is not None and year > current_year:
        raise ValidationError(
            _("The year cannot be later than %(year)s."),
            code="future_year",
            params={"year": current_year},
        )


def _relative_luminance(hex_colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_with_white(hex_colour):
    return 1.05 / (_relative_luminance(hex_colour) + 0.05)


def validate_readable_on_white(hex_colour):
    """Field colours are used for white text on the colour and for marks on white: WCAG AA."""
    if len(hex_colour) == 7 and contrast_with_white(hex_colour) < 4.5:
        raise ValidationError(
            _(
                "This colour is too light: white text on it would be hard to read "
                "(contrast %(ratio).1f:1, at least 4.5:1 is needed). Choose a darker colour."
            ),
            code="low_contrast",
            params={"ratio": contrast_with_white(hex_colour)},
        )
