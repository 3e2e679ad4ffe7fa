"""Form widgets of the portal."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class LongSelect(forms.Select):
    """A select written in Python, for the filter forms (hundreds of member cities and
    countries among them): through the template engine, their options took most of the time
    of a list page. The same HTML as Django's select, without option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (str(choice), " selected" if str(choice) in selected else "", label)
                for choice, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )
