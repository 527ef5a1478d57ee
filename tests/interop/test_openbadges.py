"""Open Badges 3.0: JSON, JWT, baked PNG and SVG; matching with confidence."""

from __future__ import annotations

import base64
import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from pathplanner.catalog import check_catalog_data
from pathplanner.interop.openbadges import (
    BadgeError,
    bake_png,
    bake_svg,
    extract_from_png,
    match_badge,
    read_badge,
    read_badge_bytes,
)
from pathplanner.model import Catalog
from tests.conftest import catalog_dict

CTID = "ce-11111111-2222-4333-8444-555555555555"


def credential(
    name: str = "Cloud Practitioner",
    alignments: list[dict[str, Any]] | None = None,
    achievement_id: str = "https://example.org/achievements/1",
) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "https://example.org/issuer",
            "type": ["Profile"],
            "name": "Example Issuer",
        },
        "validFrom": "2025-01-01T00:00:00Z",
        "name": name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "name": name,
                "alignment": alignments or [],
            },
        },
    }


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def catalog() -> Catalog:
    return check_catalog_data(
        catalog_dict(
            [
                {"id": CTID, "name": "AWS Certified Cloud Practitioner", "kind": "certification"},
                {
                    "id": "cloud-basics",
                    "name": "Cloud Practitioner",
                    "kind": "badge",
                    "url": "https://example.org/cloud",
                },
                {"id": "other", "name": "Welding", "kind": "certificate"},
            ]
        )
    ).catalog


def test_alignment_ctid_is_a_certain_match() -> None:
    badge = read_badge_bytes(
        json.dumps(
            credential(
                alignments=[
                    {
                        "type": ["Alignment"],
                        "targetCode": CTID.upper(),
                        "targetName": "x",
                        "targetUrl": "https://x",
                    }
                ]
            )
        ).encode(),
        "b.json",
    )
    best = match_badge(badge, catalog())[0]
    assert (best.credential_id, best.confidence, best.method, best.needs_confirmation) == (
        CTID,
        1.0,
        "alignment",
        False,
    )


def test_ctid_in_the_achievement_id_matches() -> None:
    badge = read_badge_bytes(
        json.dumps(credential(achievement_id=f"res:{CTID}")).encode(), "b.json"
    )
    assert match_badge(badge, catalog())[0].method == "ctid"


def test_name_matches_need_confirmation() -> None:
    badge = read_badge_bytes(json.dumps(credential()).encode(), "b.json")
    matches = match_badge(badge, catalog())
    assert [m.credential_id for m in matches] == ["cloud-basics", CTID]
    assert matches[0].method == "same name"
    assert matches[1].method == "similar name"
    assert all(m.needs_confirmation for m in matches)
    assert all(m.credential_id != "other" for m in matches)


def test_web_page_alignment() -> None:
    badge = read_badge_bytes(
        json.dumps(
            credential(
                name="Something else",
                alignments=[
                    {
                        "type": ["Alignment"],
                        "targetUrl": "http://www.example.org/cloud/",
                        "targetName": "Something else",
                    }
                ],
            )
        ).encode(),
        "b.json",
    )
    best = match_badge(badge, catalog())[0]
    assert (best.credential_id, best.method, best.needs_confirmation) == (
        "cloud-basics",
        "web page",
        False,
    )


def test_baked_png_round_trip(tmp_path: Path) -> None:
    text = json.dumps(credential())
    path = tmp_path / "badge.png"
    path.write_bytes(bake_png(tiny_png(), text))
    badge = read_badge(path)
    assert (badge.name, badge.container) == ("Cloud Practitioner", "png")
    assert json.loads(badge.text) == json.loads(text)


def test_compressed_itxt_is_read() -> None:
    text = json.dumps(credential()).encode()
    payload = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(text)
    png = tiny_png()
    chunk = struct.pack(">I", len(payload)) + b"iTXt" + payload + b"\x00\x00\x00\x00"
    iend = png.rfind(b"IEND") - 4
    assert json.loads(extract_from_png(png[:iend] + chunk + png[iend:])) == json.loads(text)


def test_png_without_a_badge_is_refused() -> None:
    with pytest.raises(BadgeError, match=r"without a baked Open Badges 3\.0 credential"):
        read_badge_bytes(tiny_png(), "plain.png")


def test_baked_svg_round_trip_and_verify_attribute() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect/></svg>'
    baked = bake_svg(svg, json.dumps(credential()))
    assert read_badge_bytes(baked.encode(), "b.svg").container == "svg"
    token = _jwt(credential(name="Signed badge"))
    signed = f'<svg><openbadges:credential verify="{token}"/></svg>'
    badge = read_badge_bytes(signed.encode(), "s.svg")
    assert (badge.name, badge.signed) == ("Signed badge", True)


def test_jwt_file_with_vc_claim() -> None:
    badge = read_badge_bytes(_jwt({"iss": "x", "vc": credential(name="Wrapped")}).encode(), "b.jwt")
    assert (badge.name, badge.container) == ("Wrapped", "jwt")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"type": ["VerifiableCredential"], "credentialSubject": {}}',
            "no credentialSubject.achievement",
        ),
        (b'{"@context": {}}', "not an Open Badges 3.0 credential"),
        (b"<svg><openbadges:assertion verify='x'/></svg>", "Open Badges 2.0 assertion"),
        (b"<svg></svg>", "SVG image without a baked"),
    ],
)
def test_bad_badges_are_explained(content: bytes, message: str) -> None:
    with pytest.raises(BadgeError, match=re.escape(message)):
        read_badge_bytes(content, "bad")


def _jwt(payload: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(payload)}.sig"
