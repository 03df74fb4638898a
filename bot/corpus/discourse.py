"""Curated answers from a Discourse topic (the JSON of `/t/<id>.json`).

Each chosen reply becomes one answer: its cooked HTML turned into Markdown, the opening
post as the question, and a link back to the post. Discourse's own markup (quotes,
oneboxes, lightboxes, mentions, emoji) is simplified before the Markdown conversion so
that the body reads like something a member typed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from markdownify import ATX, MarkdownConverter

from bot.corpus.formats import record_from_fields
from bot.corpus.records import AnswerRecord, SourceLocation, slugify
from bot.errors import CorpusError

REGULAR_POST = 1
POST_TYPES = {1: "regular post", 2: "moderator action", 3: "small action", 4: "whisper"}
QUESTION_LIMIT = 1000
MAX_ID_LENGTH = 120
# Language classes Discourse puts on code blocks that name no language.
NO_LANGUAGE = {"lang-auto", "lang-nohighlight", "lang-plaintext"}
TOPIC_HINT = "download the topic from https://your.forum/t/<id>.json?print=true"


def looks_like_discourse_topic(data: object) -> bool:
    """True for the JSON of a Discourse topic: a title and a `post_stream` with posts."""
    if not isinstance(data, dict) or not isinstance(data.get("title"), str):
        return False
    stream = data.get("post_stream")
    return isinstance(stream, dict) and isinstance(stream.get("posts"), list)


def load_discourse_topic(path: Path) -> dict[str, Any]:
    """Read a topic saved from `/t/<id>.json`; CorpusError names the file (and line) when
    it cannot be read or is not a topic."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise CorpusError("not UTF-8 text", SourceLocation(str(path), 1)) from None
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise CorpusError(
            f"malformed JSON: {exc.msg}", f"{path}:{exc.lineno}:{exc.colno}"
        ) from None
    except RecursionError:
        raise CorpusError("JSON nested too deeply", SourceLocation(str(path), 1)) from None
    if not looks_like_discourse_topic(data):
        raise CorpusError(
            "not a Discourse topic (expected a 'title' and 'post_stream.posts'); " + TOPIC_HINT,
            SourceLocation(str(path), 1),
        )
    return data


def records_from_discourse_topic(
    topic: dict[str, Any],
    *,
    forum_url: str,
    posts: Collection[int] | None = None,
    source: str = "topic.json",
    tags: Sequence[str] = (),
) -> list[AnswerRecord]:
    """Answers from a topic: by default every reply with text (no moderator notes, hidden,
    deleted or whispered posts); `posts` picks post numbers instead (1 is allowed)."""
    if not looks_like_discourse_topic(topic):
        raise CorpusError(
            "not a Discourse topic (expected a 'title' and 'post_stream.posts'); " + TOPIC_HINT,
            source,
        )
    topic_id = topic.get("id")
    if not isinstance(topic_id, int) or isinstance(topic_id, bool) or not topic["title"].strip():
        raise CorpusError("the topic has no numeric 'id' or no title; " + TOPIC_HINT, source)
    by_number = _posts_by_number(topic, source)
    forum = forum_url.strip().rstrip("/")
    if not urlsplit(forum).scheme or not urlsplit(forum).netloc:
        raise CorpusError(f"forum URL '{forum_url}' must look like https://forum.example.org")
    chosen = _chosen_posts(topic, by_number, posts, source)
    opening = by_number.get(1)
    question = _shorten(_post_markdown(opening, forum, source)) if opening else ""
    topic_tags = _tag_slugs([*_topic_tag_names(topic), *tags])
    slug = str(topic.get("slug") or "").strip() or "topic"

    records = []
    for number in chosen:
        post = by_number[number]
        body = _post_markdown(post, forum, source)
        if not body:
            if posts is None:
                continue
            raise CorpusError(f"post {number} has no text once converted to Markdown", source)
        username = str(post.get("username") or "").strip()
        role = "opening post" if number == 1 else "reply"
        fields = {
            "id": _answer_id(topic, number),
            "title": f"{str(topic['title']).strip()} — {role} by {username} (#{number})",
            "question": question if number != 1 else None,
            "body": body,
            "author": username,
            "source_url": f"{forum}/t/{slug}/{topic_id}/{number}",
            "tags": topic_tags,
        }
        records.append(record_from_fields(fields, SourceLocation(source, 1)))
    return records


def _post_markdown(post: Mapping[str, Any], forum_url: str, source: str) -> str:
    try:
        return html_to_markdown(str(post.get("cooked") or ""), forum_url)
    except RecursionError:
        number = post.get("post_number", "?")
        raise CorpusError(f"post {number}: its HTML is nested too deeply", source) from None


def html_to_markdown(cooked: str, forum_url: str) -> str:
    """Markdown for a post's cooked HTML, links made absolute against `forum_url`."""
    soup = BeautifulSoup(cooked, "html.parser")
    _absolute_links(soup, forum_url)
    _simplify_discourse_markup(soup)
    text = _PostConverter().convert_soup(soup)
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _PostConverter(MarkdownConverter):
    """markdownify with ATX headings, `-` bullets, plain line breaks and quieter escaping."""

    def __init__(self) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            escape_underscores=False,
            code_language_callback=_code_language,
        )

    def escape(self, text: str, parent_tags: set[str]) -> str:
        # An underscore between two letters or digits cannot start emphasis (CommonMark),
        # so usernames and snake_case words stay as typed; only edge underscores escape.
        escaped: str = super().escape(text, parent_tags)  # type: ignore[misc]  # not in stub
        return re.sub(r"_+", _escape_edge_underscores, escaped)

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # A plain newline, which Discord shows as a line break. The space keeps markdownify
        # from doubling it with the newline that follows <br> in cooked HTML; the trailing
        # space is stripped afterwards with all others.
        return text + " " if "_inline" in parent_tags else " \n" + text


def _escape_edge_underscores(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    if start > 0 and end < len(text) and text[start - 1].isalnum() and text[end].isalnum():
        return match.group()
    return match.group().replace("_", r"\_")


def _code_language(el: Tag) -> str:
    code = el.find("code")
    classes = code.get_attribute_list("class") if isinstance(code, Tag) else []
    return next(
        (c[5:] for c in classes if c and c.startswith("lang-") and c not in NO_LANGUAGE), ""
    )


def _absolute_links(soup: BeautifulSoup, forum_url: str) -> None:
    for tag in soup.find_all(True):
        for attribute in ("href", "src"):
            value = tag.get(attribute)
            if not isinstance(value, str):
                continue
            if value.startswith("//"):
                tag[attribute] = "https:" + value
            elif value.startswith("/"):
                # Cooked links already carry a subfolder prefix, so join on the host only.
                tag[attribute] = urljoin(forum_url + "/", value)


def _simplify_discourse_markup(soup: BeautifulSoup) -> None:
    """Rewrite Discourse's widgets into the plain HTML they stand for."""
    for junk in soup.select("img.avatar, div.quote-controls, svg"):
        junk.decompose()
    for emoji in soup.select("img.emoji"):
        emoji.replace_with(NavigableString(str(emoji.get("alt") or emoji.get("title") or "")))
    for mention in soup.select("a.mention, a.mention-group"):
        mention.replace_with(NavigableString(mention.get_text()))
    for wrapper in soup.select("div.lightbox-wrapper"):
        wrapper.replace_with(_lightbox_image(soup, wrapper))
    for preview in soup.select("aside.onebox, div.lazy-video-container"):
        preview.replace_with(_preview_link(soup, preview))
    # Innermost first, so that a quote inside a quote is already plain when its parent moves.
    for quote in reversed(soup.select("aside.quote")):
        quote.replace_with(_plain_quote(soup, quote))


def _lightbox_image(soup: BeautifulSoup, wrapper: Tag) -> Tag | NavigableString:
    link = wrapper.select_one("a.lightbox")
    img = wrapper.find("img")
    src = (link.get("href") if link else None) or (img.get("src") if isinstance(img, Tag) else None)
    if not src:
        return NavigableString("")
    alt = (img.get("alt") if isinstance(img, Tag) else None) or (link.get("title") if link else "")
    return soup.new_tag("img", attrs={"src": str(src), "alt": str(alt or "")})


def _preview_link(soup: BeautifulSoup, preview: Tag) -> Tag | NavigableString:
    heading = preview.select_one("h3 a[href], h4 a[href]")
    first_link = heading or preview.find("a", href=True)
    url = preview.get("data-onebox-src") or (
        first_link.get("href") if isinstance(first_link, Tag) else None
    )
    if not url:
        return NavigableString("")
    title = preview.get("data-video-title") or (heading.get_text(strip=True) if heading else "")
    paragraph = soup.new_tag("p")
    link = soup.new_tag("a", attrs={"href": str(url)})
    link.string = str(title or url)
    paragraph.append(link)
    return paragraph


def _plain_quote(soup: BeautifulSoup, quote: Tag) -> Tag:
    """`aside.quote` -> a blockquote that opens with "username said:"."""
    title = quote.find("div", class_="title")
    # A quote from another topic names that topic with a link in its title bar.
    found = title.find("a", href=True) if isinstance(title, Tag) else None
    topic_link = found.extract() if isinstance(found, Tag) else None
    username = str(quote.get("data-username") or "")
    if not username and isinstance(title, Tag):
        username = title.get_text(" ", strip=True).removesuffix(":").strip()
    plain = soup.new_tag("blockquote")
    if username or topic_link:
        said = soup.new_tag("p")
        said.append(NavigableString(f"{username} said" if username else "From"))
        if topic_link:
            said.append(NavigableString(" in " if username else " "))
            said.append(topic_link)
        said.append(NavigableString(":"))
        plain.append(said)
    inner = quote.find("blockquote")
    for child in list(inner.contents if isinstance(inner, Tag) else []):
        plain.append(child.extract())
    return plain


def _posts_by_number(topic: Mapping[str, Any], source: str) -> dict[int, dict[str, Any]]:
    by_number: dict[int, dict[str, Any]] = {}
    for index, post in enumerate(topic["post_stream"]["posts"]):
        number = post.get("post_number") if isinstance(post, dict) else None
        if not isinstance(number, int) or isinstance(number, bool):
            raise CorpusError(f"post_stream.posts[{index}] has no post_number", source)
        by_number[number] = post
    return dict(sorted(by_number.items()))


def _chosen_posts(
    topic: Mapping[str, Any],
    by_number: Mapping[int, dict[str, Any]],
    picked: Collection[int] | None,
    source: str,
) -> list[int]:
    if picked is None:
        return [n for n, post in by_number.items() if n >= 2 and _unusable(post) is None]
    unknown = sorted(set(picked) - set(by_number))
    if unknown:
        missing = ", ".join(str(n) for n in unknown)
        message = f"no post {missing} in this topic (it has posts {_ranges(by_number)})"
        stream = topic["post_stream"].get("stream")
        if isinstance(stream, list) and len(stream) > len(by_number):
            message += f"; the file holds {len(by_number)} of {len(stream)} posts, " + TOPIC_HINT
        raise CorpusError(message, source)
    for number in sorted(set(picked)):
        reason = _unusable(by_number[number])
        if reason:
            raise CorpusError(f"post {number} is {reason}; pick another post", source)
    return sorted(set(picked))


def _unusable(post: Mapping[str, Any]) -> str | None:
    """Why a post cannot be an answer, or None when it can."""
    post_type = post.get("post_type", REGULAR_POST)
    if post_type != REGULAR_POST:
        return "a " + POST_TYPES.get(post_type, f"post of type {post_type}")
    if post.get("deleted_at") or post.get("user_deleted"):
        return "deleted"
    if post.get("hidden"):
        return "hidden (flagged by the community)"
    if not str(post.get("username") or "").strip():
        return "without a username"
    return None


def _ranges(numbers: Iterable[int]) -> str:
    """'1-5, 7' for [1, 2, 3, 4, 5, 7]."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _answer_id(topic: Mapping[str, Any], number: int) -> str:
    slug = slugify(str(topic.get("slug") or topic["title"]))
    # Discourse falls back to the slug "topic" for titles it cannot transliterate.
    if slug in {"topic", "answer"}:
        slug = f"topic-{topic.get('id')}"
    suffix = f"-{number}"
    return slug[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix


def _topic_tag_names(topic: Mapping[str, Any]) -> list[str]:
    names = []
    for tag in topic.get("tags") or []:
        name = tag.get("name") if isinstance(tag, dict) else tag
        if isinstance(name, str):
            names.append(name)
    return names


def _tag_slugs(names: Iterable[str]) -> list[str]:
    slugs: list[str] = []
    for name in names:
        if not re.search(r"[a-z0-9]", name.lower()):
            continue
        slug = slugify(name)
        if slug not in slugs:
            slugs.append(slug)
    return slugs


def _shorten(text: str, limit: int = QUESTION_LIMIT) -> str:
    """`text` cut to at most `limit` characters at a paragraph, sentence or word end."""
    if len(text) <= limit:
        return text
    window = text[: limit - 2]
    ends = [m.end() for m in re.finditer(r"\n\n|[.!?](?=\s)", window)]
    cut = max((e for e in ends if e >= limit // 2), default=0)
    if cut:
        return window[:cut].rstrip() + " …"
    space = window.rfind(" ")
    return window[: space if space >= limit // 2 else len(window)].rstrip() + "…"
