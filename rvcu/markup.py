"""A small, safe subset of Markdown for the portal's long texts.

A city's practice (challenge, actions, results…) is written by its users and shown to everyone,
so the text goes through two independent steps:

1. markdown-it-py parses it with raw HTML turned off: whatever HTML the user types is escaped and
   shown as text. Images are disabled too — an image would make the reader's browser request a
   third-party host, which the portal must never do. Headings are shifted down (``#`` → ``<h3>``,
   ``##`` and deeper → ``<h4>``) because the page already has its own ``<h1>``/``<h2>``.
2. nh3 sanitises the resulting HTML with an explicit allow-list of tags, attributes and URL
   schemes. This is the safety net: whatever the parser does (a bug, a future option, a plugin),
   only the tags and attributes listed here can reach the page.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "ul",
        "ol",
        "li",
        "a",
        "blockquote",
        "code",
        "pre",
        "h3",
        "h4",
        "hr",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable("image")


def _shift_headings(tokens):
    """``#`` becomes ``<h3>``; ``##`` and deeper become ``<h4>``."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = "h3" if token.tag == "h1" else "h4"
    return tokens


def render_markdown(text) -> SafeString:
    """Render ``text`` (Markdown) to sanitised HTML, safe to put in a template as is."""
    if not text:
        return mark_safe("")
    env = {}
    tokens = _shift_headings(_md.parse(str(text), env))
    return mark_safe(_sanitise(_md.renderer.render(tokens, _md.options, env)))


def _sanitise(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes; drop everything else."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(ALLOWED_URL_SCHEMES),
    )
