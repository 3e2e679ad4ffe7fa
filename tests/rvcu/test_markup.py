"""render_markdown and the |markdown filter: a small Markdown subset, sanitised."""

import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from rvcu.markup import _sanitise, render_markdown

LINK_REL = 'rel="nofollow noopener noreferrer"'


class _Tags(HTMLParser):
    """Every start tag of an HTML fragment, as (tag, [(attribute, value), …])."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def start_tags(html):
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_harmless(html):
    """No script, no event handler, no dangerous URL, no element that loads something."""
    lowered = html.lower()
    for element in ("<script", "<style", "<img", "<iframe", "<svg", "<object", "<embed"):
        assert element not in lowered, element
    # An event handler written as an attribute of a real tag (the text between < and >, with
    # attribute values taken out: an escaped "onmouseover=" inside a title is only text).
    for tag_text in re.findall(r"<[a-zA-Z][^>]*>", html):
        without_values = re.sub(r'"[^"]*"', '""', tag_text)
        assert not re.search(r"\son\w+=", without_values, re.IGNORECASE), tag_text
    for tag, attrs in start_tags(html):
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name)
            assert name not in ("style", "src"), (tag, name)
            if name == "href":
                scheme = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
                for bad in ("javascript:", "vbscript:", "data:"):
                    assert not scheme.startswith(bad), value


# --- what the subset renders ---------------------------------------------------------------


def test_emphasis_and_strong():
    html = render_markdown("**a** and _b_")
    assert "<strong>a</strong>" in html
    assert "<em>b</em>" in html


def test_bullet_list():
    html = render_markdown("- one\n- two")
    assert re.search(r"<ul>\s*<li>one</li>\s*<li>two</li>\s*</ul>", html)


def test_numbered_list_keeps_its_start():
    html = render_markdown("3. three\n4. four")
    assert re.search(r'<ol start="3">\s*<li>three</li>\s*<li>four</li>\s*</ol>', html)


def test_link_gets_rel():
    html = render_markdown("[x](https://example.org)")
    assert f'<a href="https://example.org" {LINK_REL}>x</a>' in html


def test_link_title_is_kept():
    html = render_markdown('[x](https://example.org "A title")')
    assert 'title="A title"' in html


def test_mailto_link():
    html = render_markdown("[write](mailto:someone@example.org)")
    assert 'href="mailto:someone@example.org"' in html


def test_link_with_scheme_outside_the_allow_list_loses_its_href():
    html = render_markdown("[x](ftp://example.org/file)")
    assert "ftp:" not in html
    assert ">x</a>" in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Title", "<h3>Title</h3>"),
        ("## Title", "<h4>Title</h4>"),
        ("### T", "<h4>T</h4>"),
        ("###### Deep", "<h4>Deep</h4>"),
        ("Setext\n===", "<h3>Setext</h3>"),
        ("Setext\n---", "<h4>Setext</h4>"),
    ],
)
def test_headings_are_shifted_below_the_page_headings(text, expected):
    html = render_markdown(text)
    assert expected in html
    assert not re.search(r"<h[1256]", html)


def test_line_break_blockquote_code_and_rule():
    html = render_markdown("a  \nb\n\n> quoted\n\n`inline`\n\n```\nx < y\n```\n\n---")
    assert "a<br>" in html
    assert re.search(r"<blockquote>\s*<p>quoted</p>\s*</blockquote>", html)
    assert "<code>inline</code>" in html
    assert "<pre><code>x &lt; y\n</code></pre>" in html
    assert "<hr>" in html


# --- hostile input -------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](java&#x09;script:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:image/png;base64,iVBORw0KGgo=)",
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example">',
    "![x](https://evil.example/t.png)",
    '<p style="x" onclick="alert(1)">hi</p>',
    "[x](vbscript:msgbox)",
    '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
    "[x]: javascript:alert(1)\n\n[x]",
    "<javascript:alert(1)>",
    "<style>body{display:none}</style>",
    "<!-- comment --><b>bold</b>",
    "```\n<script>alert(1)</script>\n```",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_harmless(text):
    assert_harmless(render_markdown(text))


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<svg onload=alert(1)>",
        '<iframe src="https://evil.example">',
        '<p style="x" onclick="alert(1)">hi</p>',
        "<b>bold</b>",
    ],
)
def test_raw_html_is_shown_as_text_never_as_a_tag(text):
    html = render_markdown(text)
    tag = re.match(r"<(\w+)", text).group(1)
    assert f"&lt;{tag}" in html
    assert [t for t, _ in start_tags(html)] == ["p"]


def test_image_becomes_at_most_a_link_never_a_request():
    html = render_markdown("![x](https://evil.example/t.png)")
    assert "<img" not in html
    assert [t for t, _ in start_tags(html) if t != "p"] in ([], ["a"])


def test_title_cannot_break_out_of_its_attribute():
    html = render_markdown('[x](https://example.org "a\\" onmouseover=\\"alert(1)")')
    [(tag, attrs)] = [t for t in start_tags(html) if t[0] == "a"]
    assert dict(attrs)["title"] == 'a" onmouseover="alert(1)'
    assert sorted(name for name, _ in attrs) == ["href", "rel", "title"]


@pytest.mark.parametrize(
    "html",
    [
        "<p onclick=x style=y>hi</p>",
        "<script>bad()</script>",
        "<style>p{}</style>",
        "<img src=x onerror=y>",
        '<a href="JaVaScRiPt:alert(1)" target=_blank>a</a>',
        '<a href=" javascript:alert(1)">b</a>',
        '<a href="data:text/html,x">c</a>',
        "<svg onload=x></svg>",
        "<iframe src=https://evil.example></iframe>",
        "<h1>h</h1>",
    ],
)
def test_sanitiser_is_a_safety_net_whatever_the_parser_emits(html):
    """If the parser ever let raw HTML through, the allow-list would still hold."""
    cleaned = _sanitise(html)
    assert_harmless(cleaned)
    assert "bad()" not in cleaned
    assert "p{}" not in cleaned
    assert "<h1" not in cleaned
    assert "target=" not in cleaned


# --- the result ---------------------------------------------------------------------------


def test_result_is_safe_string():
    assert isinstance(render_markdown("hi"), SafeString)


@pytest.mark.parametrize("text", [None, ""])
def test_empty_text_gives_empty_safe_string(text):
    html = render_markdown(text)
    assert html == ""
    assert isinstance(html, SafeString)


def test_template_filter():
    html = Template("{% load portal %}{{ text|markdown }}").render(
        Context({"text": "**x** <script>alert(1)</script>"})
    )
    assert "<strong>x</strong>" in html
    assert "&lt;script&gt;" in html
    assert "<script" not in html
