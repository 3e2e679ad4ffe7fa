from django import template
from django.utils.html import format_html

from rvcu.markup import render_markdown

register = template.Library()


@register.filter
def elided_pages(page_obj):
    """Page numbers around the current page, with the paginator's ellipsis between runs."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)


@register.filter
def markdown(text):
    """A long text written in Markdown, rendered to sanitised HTML (see rvcu.markup)."""
    return render_markdown(text)


@register.filter
def lang_attr(language_code):
    """` lang="xx"` on the element holding a text written in a known language, else ""."""
    if not language_code:
        return ""
    return format_html(' lang="{}"', language_code)


@register.simple_tag(takes_context=True)
def page_url(context, number, parameter=""):
    """The current address with page `number` in `parameter` ("page" unless a page has two
    paginated lists), the other parameters kept."""
    query = context["request"].GET.copy()
    query[parameter or "page"] = number
    return f"?{query.urlencode()}"
