"""The loopback stand-in is as strict as Discord: what it accepts, Discord would accept."""

from __future__ import annotations

from tests.discord_app.discord_limits import problems, valid_url


def test_a_message_within_every_limit_passes() -> None:
    body = {
        "content": "x" * 2000,
        "embeds": [{"title": "t" * 256, "description": "d" * 4096, "url": "https://a.org/b"}],
        "components": [{"type": 1, "components": [{"type": 2, "custom_id": "c" * 100}]}],
    }

    assert problems(body) == []


def test_oversize_content_embeds_and_components_are_refused() -> None:
    body = {
        "content": "x" * 2001,
        "embeds": [
            {"title": "t" * 257, "fields": [{"name": "n", "value": "v" * 1025}] * 26},
        ],
        "components": [{"type": 1, "components": [{"type": 2, "custom_id": "c" * 101}]}] * 6,
    }

    found = " | ".join(problems(body))

    for expected in (
        "content 2001",
        "embed title 257",
        "26 embed fields",
        "field value 1025",
        "6 action rows",
        "custom_id 101",
        "> 6000",
    ):
        assert expected in found, expected


def test_a_modal_input_prefilled_beyond_its_max_length_is_refused() -> None:
    modal = {
        "title": "Edit an answer",
        "custom_id": "form",
        "components": [
            {
                "type": 1,
                "components": [{"type": 4, "label": "Tags", "max_length": 200, "value": "t" * 201}],
            }
        ],
    }

    assert problems(modal) == ["input 'Tags' prefilled with 201 > its max_length 200"]


def test_links_must_be_valid_http_urls() -> None:
    assert valid_url("https://forum.example.org/t/tight-l3/123")
    for bad in (
        "javascript:alert(1)",
        "https://exa mple.org/a b",
        "../../x y",
        "ftp://a.org",
        None,
    ):
        assert not valid_url(bad), bad
