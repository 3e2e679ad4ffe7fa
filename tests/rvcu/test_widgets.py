"""LongSelect: Django's select written in Python, for hundreds of options."""

from django import forms

from rvcu.widgets import LongSelect


class CityForm(forms.Form):
    city = forms.ChoiceField(
        choices=[("", "All cities"), ("krakow", "Kraków (PL)"), ("a&b", "<b>Odd</b>")],
        widget=LongSelect,
        required=False,
    )


def test_long_select_renders_like_django_select_with_the_choice_selected():
    html = str(CityForm({"city": "krakow"})["city"])

    assert html.startswith('<select name="city" id="id_city">')
    assert '<option value="krakow" selected>Kraków (PL)</option>' in html
    assert '<option value="">All cities</option>' in html
    assert html.endswith("</select>")


def test_long_select_escapes_values_and_labels():
    html = str(CityForm()["city"])

    assert '<option value="a&amp;b">&lt;b&gt;Odd&lt;/b&gt;</option>' in html
    assert '<option value="" selected>All cities</option>' in html


def test_long_select_keeps_the_attributes_of_the_field():
    html = CityForm()["city"].as_widget(attrs={"aria-describedby": "help"})

    assert 'aria-describedby="help"' in html
