"""Discord's limits on what a bot sends, as the stand-in enforces them.

Discord answers 400 to a message, embed, button or modal over these limits (and the member
sees nothing), so the stand-in refuses the same payloads: a test passes only if Discord
would have accepted what the bot sent.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
EMBEDS_TOTAL = 6000
ACTION_ROWS = 5
ROW_COMPONENTS = 5
CUSTOM_ID = 100
BUTTON_LABEL = 80
MODAL_TITLE = 45
INPUT_LABEL = 45
INPUT_VALUE = 4000
LINK_BUTTON = 5


def problems(body: Any) -> list[str]:
    """Why Discord would refuse this message, callback or modal payload (empty: it would not)."""
    if not isinstance(body, dict):
        return []
    found: list[str] = []
    content = body.get("content") or ""
    if len(content) > CONTENT:
        found.append(f"content {len(content)} > {CONTENT}")
    found += _embeds(body.get("embeds") or [])
    if "title" in body and "custom_id" in body:  # a modal
        found += _modal(body)
    else:
        found += _components(body.get("components") or [])
    return found


def _embeds(embeds: list[dict[str, Any]]) -> list[str]:
    found = []
    if len(embeds) > EMBEDS:
        found.append(f"{len(embeds)} embeds > {EMBEDS}")
    total = 0
    for embed in embeds:
        title = embed.get("title") or ""
        description = embed.get("description") or ""
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        fields = embed.get("fields") or []
        total += len(title) + len(description) + len(footer) + len(author)
        for limit, text, what in (
            (EMBED_TITLE, title, "embed title"),
            (EMBED_DESCRIPTION, description, "embed description"),
            (FOOTER_TEXT, footer, "embed footer"),
            (AUTHOR_NAME, author, "embed author"),
        ):
            if len(text) > limit:
                found.append(f"{what} {len(text)} > {limit}")
        if len(fields) > EMBED_FIELDS:
            found.append(f"{len(fields)} embed fields > {EMBED_FIELDS}")
        for field in fields:
            name, value = field.get("name") or "", field.get("value") or ""
            total += len(name) + len(value)
            if not name or not value:
                found.append("an embed field without a name or value")
            if len(name) > FIELD_NAME:
                found.append(f"field name {len(name)} > {FIELD_NAME}")
            if len(value) > FIELD_VALUE:
                found.append(f"field value {len(value)} > {FIELD_VALUE}")
        for key in ("url",):
            if embed.get(key) and not valid_url(embed[key]):
                found.append(f"embed url {embed[key]!r} is not a valid http(s) URL")
        author_url = (embed.get("author") or {}).get("url")
        if author_url and not valid_url(author_url):
            found.append(f"embed author url {author_url!r} is not a valid http(s) URL")
    if total > EMBEDS_TOTAL:
        found.append(f"embeds hold {total} characters > {EMBEDS_TOTAL}")
    return found


def _components(rows: list[dict[str, Any]]) -> list[str]:
    found = []
    if len(rows) > ACTION_ROWS:
        found.append(f"{len(rows)} action rows > {ACTION_ROWS}")
    for row in rows:
        children = row.get("components") or []
        if len(children) > ROW_COMPONENTS:
            found.append(f"{len(children)} components in a row > {ROW_COMPONENTS}")
        for component in children:
            custom_id = component.get("custom_id") or ""
            if len(custom_id) > CUSTOM_ID:
                found.append(f"custom_id {len(custom_id)} > {CUSTOM_ID}")
            label = component.get("label") or ""
            if len(label) > BUTTON_LABEL:
                found.append(f"button label {len(label)} > {BUTTON_LABEL}")
            if component.get("style") == LINK_BUTTON and not valid_url(component.get("url")):
                found.append(f"link button url {component.get('url')!r} is not valid http(s)")
    return found


def _modal(modal: dict[str, Any]) -> list[str]:
    found = []
    if len(modal.get("title") or "") > MODAL_TITLE:
        found.append(f"modal title {len(modal['title'])} > {MODAL_TITLE}")
    if len(modal.get("custom_id") or "") > CUSTOM_ID:
        found.append(f"modal custom_id > {CUSTOM_ID}")
    for text_input in _inputs(modal.get("components") or []):
        label = text_input.get("label") or ""
        if len(label) > INPUT_LABEL:
            found.append(f"input label {label!r} {len(label)} > {INPUT_LABEL}")
        most = min(int(text_input.get("max_length") or INPUT_VALUE), INPUT_VALUE)
        value = text_input.get("value") or ""
        if len(value) > most:
            found.append(f"input {label!r} prefilled with {len(value)} > its max_length {most}")
    return found


def _inputs(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Text inputs (type 4) anywhere in a modal, with the label of a wrapping label (18)."""
    found = []
    for component in components:
        if component.get("type") == 4:
            found.append(component)
        elif component.get("type") == 18 and "component" in component:
            found.append({**component["component"], "label": component.get("label")})
        else:
            found += _inputs(component.get("components") or [])
    return found


def valid_url(url: Any) -> bool:
    if not isinstance(url, str) or any(c.isspace() for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)
