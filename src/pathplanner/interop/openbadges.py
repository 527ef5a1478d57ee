"""A learner's Open Badges 3.0 credentials: read them (JSON, a JWT, or baked into a PNG or SVG
image) and match them to catalogue credentials.

Matching tries the badge's alignments and CTIDs first (certain), then the credential's web
page, then the name (uncertain: the app asks the learner to confirm matches whose
``needs_confirmation`` is true). Signatures are not verified: the badge is evidence the learner
supplies about themselves, kept as the JSON text in :attr:`Badge.text`.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import json
import os
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pathplanner.interop.jsonld import CTID, LangMap, Node, Ref, text_of, to_node_tree
from pathplanner.interop.safe_json import (
    DEFAULT_LIMITS,
    InputError,
    Limits,
    decode_text,
    parse_json,
    read_bytes,
)
from pathplanner.model import Catalog

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD = "openbadgecredential"  # Open Badges 3.0 baking
SVG_ELEMENT = "openbadges:credential"
SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
CONFIRM_BELOW = 0.95  # matches less certain than this need the learner's confirmation

_SVG_CREDENTIAL = re.compile(
    r"<openbadges:credential\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</openbadges:credential\s*>)",
    re.DOTALL,
)
_VERIFY = re.compile(r"""\bverify\s*=\s*(["'])(?P<jwt>[^"']*)\1""")
_CDATA = re.compile(r"^\s*<!\[CDATA\[(?P<text>.*)\]\]>\s*$", re.DOTALL)
_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


class BadgeError(InputError):
    """A file that holds no readable Open Badges 3.0 credential."""


@dataclass(frozen=True, slots=True)
class Alignment:
    target_name: str
    target_url: str
    target_code: str
    target_framework: str
    target_type: str


@dataclass(frozen=True)
class Badge:
    """What a badge says, plus the document itself (kept by the store as evidence)."""

    name: str
    description: str
    issuer: str
    issued: str  # validFrom / issuanceDate as written ("" when absent)
    achievement_id: str
    alignments: tuple[Alignment, ...]
    ctids: tuple[str, ...]  # every CTID the badge names for what was achieved
    container: str  # "json", "jwt", "png" or "svg"
    signed: bool  # carries a proof or is a JWT (not verified here)
    text: str  # the credential as JSON text


@dataclass(frozen=True, slots=True)
class BadgeMatch:
    credential_id: str
    credential_name: str
    confidence: float  # 0..1
    method: str  # "alignment", "ctid", "web page", "same name", "similar name"
    detail: str

    @property
    def needs_confirmation(self) -> bool:
        return self.confidence < CONFIRM_BELOW

    def as_dict(self) -> dict[str, Any]:
        return {
            "credential": self.credential_id,
            "name": self.credential_name,
            "confidence": round(self.confidence, 3),
            "method": self.method,
            "detail": self.detail,
            "needs_confirmation": self.needs_confirmation,
        }


def read_badge(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> Badge:
    """Read a badge file: OB 3.0 JSON, a JWT, or a baked PNG or SVG image."""
    return read_badge_bytes(read_bytes(path, limits), Path(path).name, limits)


def read_badge_bytes(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Badge:
    if data.startswith(PNG_SIGNATURE):
        return _badge_from_text(extract_from_png(data, name, limits), name, "png", limits)
    text = decode_text(data, name)
    stripped = text.lstrip()
    if stripped.startswith("<"):
        return _badge_from_text(extract_from_svg(text, name), name, "svg", limits)
    if _JWT.match(stripped.strip()):
        return _badge_from_text(stripped.strip(), name, "jwt", limits)
    return _badge_from_text(text, name, "json", limits)


def extract_from_png(data: bytes, name: str = "<png>", limits: Limits = DEFAULT_LIMITS) -> str:
    """The text of the ``iTXt`` chunk with keyword ``openbadgecredential``."""
    if not data.startswith(PNG_SIGNATURE):
        raise BadgeError(f"{name}: not a PNG image")
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, chunk_type = struct.unpack(">I4s", data[position : position + 8])
        start = position + 8
        end = start + length
        if end + 4 > len(data):
            raise BadgeError(f"{name}: truncated PNG chunk {chunk_type!r}")
        if chunk_type == b"iTXt":
            text = _itxt_text(data[start:end], name, limits)
            if text is not None:
                return text
        if chunk_type == b"IEND":
            break
        position = end + 4
    raise BadgeError(
        f"{name}: PNG image without a baked Open Badges 3.0 credential (iTXt '{PNG_KEYWORD}')"
    )


def _itxt_text(chunk: bytes, name: str, limits: Limits) -> str | None:
    keyword, _, rest = chunk.partition(b"\x00")
    if keyword.decode("latin-1") == "openbadges":
        raise BadgeError(
            f"{name}: an Open Badges 2.0 assertion; only Open Badges 3.0 credentials are read"
        )
    if keyword.decode("latin-1") != PNG_KEYWORD or len(rest) < 2:
        return None
    compressed, _method = rest[0], rest[1]
    _language, _, rest = rest[2:].partition(b"\x00")
    _translated, _, payload = rest.partition(b"\x00")
    if compressed:
        inflater = zlib.decompressobj()
        try:
            payload = inflater.decompress(payload, limits.max_bytes)
        except zlib.error as exc:
            raise BadgeError(f"{name}: the baked credential is corrupt ({exc})") from None
        if inflater.unconsumed_tail:
            raise BadgeError(f"{name}: the baked credential expands beyond the import limit")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        raise BadgeError(f"{name}: the baked credential is not UTF-8 text") from None


def extract_from_svg(text: str, name: str = "<svg>") -> str:
    """The credential in ``<openbadges:credential>``: its ``verify`` JWT or its JSON body."""
    match = _SVG_CREDENTIAL.search(text)
    if match is None:
        if "<openbadges:assertion" in text:
            raise BadgeError(
                f"{name}: an Open Badges 2.0 assertion; only Open Badges 3.0 credentials are read"
            )
        raise BadgeError(
            f"{name}: SVG image without a baked Open Badges 3.0 credential (<{SVG_ELEMENT}>)"
        )
    verify = _VERIFY.search(match["attrs"] or "")
    if verify is not None and verify["jwt"].strip():
        return verify["jwt"].strip()
    body = match["body"] or ""
    cdata = _CDATA.match(body)
    return cdata["text"] if cdata else _unescape_xml(body)


def bake_png(image: bytes, credential_text: str) -> bytes:
    """The PNG with the credential in an uncompressed ``iTXt`` chunk before ``IEND``."""
    if not image.startswith(PNG_SIGNATURE):
        raise BadgeError("not a PNG image")
    payload = (
        PNG_KEYWORD.encode("latin-1") + b"\x00\x00\x00\x00\x00" + credential_text.encode("utf-8")
    )
    chunk = struct.pack(">I", len(payload)) + b"iTXt" + payload
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + payload) & 0xFFFFFFFF)
    iend = image.rfind(b"IEND") - 4
    if iend < len(PNG_SIGNATURE):
        raise BadgeError("PNG image without an IEND chunk")
    return image[:iend] + chunk + image[iend:]


def bake_svg(svg: str, credential_text: str) -> str:
    """The SVG with the credential JSON in ``<openbadges:credential>`` after ``<svg ...>``."""
    open_tag = re.search(r"<svg\b[^>]*>", svg)
    if open_tag is None:
        raise BadgeError("not an SVG image")
    tag = open_tag.group(0)
    if "xmlns:openbadges" not in tag:
        tag = tag[:-1] + f' xmlns:openbadges="{SVG_NAMESPACE}">'
    element = f"<{SVG_ELEMENT}><![CDATA[{credential_text}]]></{SVG_ELEMENT}>"
    return svg[: open_tag.start()] + tag + element + svg[open_tag.end() :]


def match_badge(badge: Badge, catalog: Catalog, limit: int = 5) -> list[BadgeMatch]:
    """Catalogue credentials this badge may be, most likely first (at most ``limit``)."""
    best: dict[str, BadgeMatch] = {}

    def offer(match: BadgeMatch) -> None:
        if (
            match.credential_id not in best
            or best[match.credential_id].confidence < match.confidence
        ):
            best[match.credential_id] = match

    by_ctid: dict[str, list[str]] = {}
    by_url: dict[str, list[str]] = {}
    for credential in catalog.credentials:
        for text in (credential.id, credential.source or ""):
            for ctid in CTID.findall(text):
                by_ctid.setdefault(ctid.lower(), []).append(credential.id)
        for text in (credential.url or "", credential.source or ""):
            if text:
                by_url.setdefault(_url_key(text), []).append(credential.id)
    aligned_ctids = {
        c.lower() for a in badge.alignments for c in CTID.findall(f"{a.target_code} {a.target_url}")
    }
    for ctid in badge.ctids:
        method = "alignment" if ctid in aligned_ctids else "ctid"
        for credential_id in dict.fromkeys(by_ctid.get(ctid, [])):
            name = catalog.credential(credential_id).name
            offer(BadgeMatch(credential_id, name, 1.0, method, f"the badge names CTID {ctid}"))
    for alignment in badge.alignments:
        if alignment.target_url:
            for credential_id in by_url.get(_url_key(alignment.target_url), []):
                name = catalog.credential(credential_id).name
                detail = f"aligned to {alignment.target_url}"
                offer(BadgeMatch(credential_id, name, 0.97, "web page", detail))
    names = [badge.name, *(a.target_name for a in badge.alignments)]
    for badge_name in filter(None, dict.fromkeys(names)):
        wanted = _name_key(badge_name)
        for credential in catalog.credentials:
            have = _name_key(credential.name)
            if not wanted or not have:
                continue
            if wanted == have:
                offer(
                    BadgeMatch(
                        credential.id, credential.name, 0.9, "same name", f"named {badge_name!r}"
                    )
                )
                continue
            ratio = difflib.SequenceMatcher(None, wanted, have).ratio()
            if ratio >= 0.6:
                detail = f"{badge_name!r} resembles {credential.name!r}"
                offer(
                    BadgeMatch(
                        credential.id,
                        credential.name,
                        round(0.85 * ratio, 3),
                        "similar name",
                        detail,
                    )
                )
    ranked = sorted(best.values(), key=lambda m: (-m.confidence, m.credential_id))
    return ranked[:limit]


# --- reading the credential --------------------------------------------------------------------


def _badge_from_text(text: str, name: str, container: str, limits: Limits) -> Badge:
    stripped = text.strip()
    signed = False
    if _JWT.match(stripped):
        data = _jwt_payload(stripped, name, limits)
        signed = True
        if container == "json":
            container = "jwt"
    else:
        data = parse_json(stripped, name, limits)
    if isinstance(data, dict) and isinstance(data.get("vc"), dict):
        data = data["vc"]  # a VC-JWT (VC data model 1.1) wraps the credential in "vc"
    return _badge(
        data, name, container, signed or bool(isinstance(data, dict) and data.get("proof"))
    )


def _jwt_payload(token: str, name: str, limits: Limits) -> Any:
    payload = token.split(".")[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        raise BadgeError(f"{name}: the JWT payload is not base64url") from None
    return parse_json(decode_text(raw, name), f"{name} (JWT payload)", limits)


def _badge(data: Any, name: str, container: str, signed: bool) -> Badge:
    tree = to_node_tree(data)
    if not isinstance(tree, Node) or not {"VerifiableCredential", "OpenBadgeCredential"} & set(
        tree.types
    ):
        raise BadgeError(f"{name}: not an Open Badges 3.0 credential (no OpenBadgeCredential type)")
    subject = tree.first("credentialSubject")
    achievement = subject.first("achievement") if isinstance(subject, Node) else None
    if not isinstance(achievement, Node):
        raise BadgeError(f"{name}: the credential has no credentialSubject.achievement")
    alignments = tuple(
        _alignment(a) for a in achievement.values("alignment") if isinstance(a, Node)
    )
    ctids: list[str] = []
    for text in [achievement.id or "", *(f"{a.target_code} {a.target_url}" for a in alignments)]:
        ctids.extend(c.lower() for c in CTID.findall(text))
    title = text_of(achievement.first("name")) or text_of(tree.first("name"))
    if not title:
        raise BadgeError(f"{name}: the achievement has no name")
    issuer = tree.first("issuer")
    issuer_name = text_of(issuer.first("name")) if isinstance(issuer, Node) else ""
    issuer_text = issuer_name or _id_text(issuer)
    return Badge(
        name=title,
        description=text_of(achievement.first("description")),
        issuer=issuer_text,
        issued=text_of(tree.first("validFrom")) or text_of(tree.first("issuanceDate")),
        achievement_id=achievement.id or "",
        alignments=alignments,
        ctids=tuple(dict.fromkeys(ctids)),
        container=container,
        signed=signed,
        text=json.dumps(data, ensure_ascii=False, sort_keys=True),
    )


def _alignment(node: Node) -> Alignment:
    return Alignment(
        target_name=text_of(node.first("targetName")),
        target_url=_id_text(node.first("targetUrl")),
        target_code=text_of(node.first("targetCode")),
        target_framework=text_of(node.first("targetFramework")),
        target_type=text_of(node.first("targetType")),
    )


def _id_text(value: Any) -> str:
    if isinstance(value, Ref | Node):
        return value.id or ""
    if isinstance(value, LangMap | str):
        return text_of(value)
    return ""


def _name_key(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9+#]+", name.casefold()))


def _url_key(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip().casefold()).rstrip("/")


def _unescape_xml(text: str) -> str:
    for entity, char in (
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", '"'),
        ("&apos;", "'"),
        ("&amp;", "&"),
    ):
        text = text.replace(entity, char)
    return text
