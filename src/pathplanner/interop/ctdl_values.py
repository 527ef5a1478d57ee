"""Value conversions for CTDL: ISO 8601 durations, currency names, credential classes."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pathplanner.model import Kind

# --- ISO 8601 durations ----------------------------------------------------------------------

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<M>\d+(?:[.,]\d+)?)M)?(?:(?P<W>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<D>\d+(?:[.,]\d+)?)D)?(?:T(?=\d)(?:(?P<H>\d+(?:[.,]\d+)?)H)?(?:(?P<TM>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<S>\d+(?:[.,]\d+)?)S)?)?$"
)
# A year is 52 weeks and a month a twelfth of it, so P9M is 39 weeks and P1Y is 52.
_WEEKS_PER = {"Y": 52.0, "M": 52.0 / 12.0, "W": 1.0, "D": 1.0 / 7.0}
_HOURS_PER = {"H": 1.0, "TM": 1.0 / 60.0, "S": 1.0 / 3600.0}


@dataclass(frozen=True, slots=True)
class Duration:
    """An ISO 8601 duration split into calendar weeks (date part) and hours (time part)."""

    weeks: float
    hours: float

    @property
    def whole_weeks(self) -> int:
        """Calendar weeks rounded up (a course of 9 days takes 2 weeks of a plan)."""
        return math.ceil(self.weeks - 1e-9)

    @property
    def time_only(self) -> bool:
        """``PT160H``: a number of hours (an effort), not a span of calendar time."""
        return self.weeks == 0 and self.hours > 0


def parse_duration(text: str) -> Duration:
    """Parse ``P2Y1M3W5D``, ``P9M``, ``PT160H``, ``P1Y2M3W4DT5H6M``; ValueError otherwise."""
    match = _DURATION.match(text.strip().upper())
    if match is None:
        raise ValueError(f"{text!r} is not an ISO 8601 duration such as 'P9M' or 'P2Y1M3W5D'")
    parts = {k: float(v.replace(",", ".")) for k, v in match.groupdict().items() if v is not None}
    weeks = sum(parts.get(unit, 0.0) * factor for unit, factor in _WEEKS_PER.items())
    hours = sum(parts.get(unit, 0.0) * factor for unit, factor in _HOURS_PER.items())
    return Duration(weeks, hours)


def format_weeks(weeks: int) -> str:
    return f"P{weeks}W"


def format_hours(hours: float) -> str:
    return f"PT{hours:g}H"


# --- currencies ------------------------------------------------------------------------------

_CURRENCY_NAMES = {
    "us dollar": "USD",
    "us dollars": "USD",
    "united states dollar": "USD",
    "american dollar": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "$": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "€": "EUR",
    "pound sterling": "GBP",
    "british pound": "GBP",
    "british pound sterling": "GBP",
    "pound": "GBP",
    "£": "GBP",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "new zealand dollar": "NZD",
    "singapore dollar": "SGD",
    "hong kong dollar": "HKD",
    "japanese yen": "JPY",
    "yen": "JPY",
    "swiss franc": "CHF",
    "indian rupee": "INR",
    "mexican peso": "MXN",
    "south african rand": "ZAR",
    "yuan renminbi": "CNY",
    "chinese yuan": "CNY",
    "swedish krona": "SEK",
    "norwegian krone": "NOK",
    "danish krone": "DKK",
}


def normalise_currency(value: str) -> str | None:
    """ISO 4217 code for ``USD``, ``usd``, ``US Dollar``, ``U.S. Dollar``, ``$``...; else None."""
    text = value.strip()
    if re.fullmatch(r"[A-Za-z]{3}", text):
        return text.upper()
    key = re.sub(r"[.\s]+", " ", text.replace("U.S.", "US").casefold()).strip()
    return _CURRENCY_NAMES.get(key)


# --- credential classes ----------------------------------------------------------------------

# Every subclass of ceterms:Credential in the CTDL vocabulary (checked against the published
# schema by a test). Classes with no counterpart among our kinds map to OTHER, with a note.
CREDENTIAL_KINDS: dict[str, Kind] = {
    "Credential": Kind.OTHER,
    "ApprenticeshipCertificate": Kind.CERTIFICATE,
    "Certificate": Kind.CERTIFICATE,
    "CertificateOfCompletion": Kind.CERTIFICATE,
    "JourneymanCertificate": Kind.CERTIFICATE,
    "MasterCertificate": Kind.CERTIFICATE,
    "AssociateDegree": Kind.ASSOCIATE,
    "AssociateOfAppliedArtsDegree": Kind.ASSOCIATE,
    "AssociateOfAppliedScienceDegree": Kind.ASSOCIATE,
    "AssociateOfArtsDegree": Kind.ASSOCIATE,
    "AssociateOfScienceDegree": Kind.ASSOCIATE,
    "BachelorDegree": Kind.BACHELOR,
    "BachelorOfArtsDegree": Kind.BACHELOR,
    "BachelorOfScienceDegree": Kind.BACHELOR,
    "MasterDegree": Kind.MASTER,
    "MasterOfArtsDegree": Kind.MASTER,
    "MasterOfScienceDegree": Kind.MASTER,
    "DoctoralDegree": Kind.DOCTORATE,
    "ProfessionalDoctorate": Kind.DOCTORATE,
    "ResearchDoctorate": Kind.DOCTORATE,
    "Degree": Kind.OTHER,
    "SpecialistDegree": Kind.OTHER,
    "Badge": Kind.BADGE,
    "DigitalBadge": Kind.BADGE,
    "OpenBadge": Kind.BADGE,
    "Certification": Kind.CERTIFICATION,
    "Diploma": Kind.DIPLOMA,
    "GeneralEducationDevelopment": Kind.DIPLOMA,
    "SecondarySchoolDiploma": Kind.DIPLOMA,
    "License": Kind.LICENSE,
    "MicroCredential": Kind.MICRO_CREDENTIAL,
    "QualityAssuranceCredential": Kind.OTHER,
}

# Why a class maps to OTHER (shown in the import report).
OTHER_REASONS: dict[str, str] = {
    "Credential": "the generic class ceterms:Credential names no specific kind",
    "Degree": "a degree of unstated level has no matching kind",
    "SpecialistDegree": "a specialist degree has no matching kind",
    "QualityAssuranceCredential": "a quality assurance credential has no matching kind",
}

# The class written on export for each kind (the importer maps each straight back).
KIND_CLASSES: dict[Kind, str] = {
    Kind.BADGE: "Badge",
    Kind.MICRO_CREDENTIAL: "MicroCredential",
    Kind.CERTIFICATE: "Certificate",
    Kind.CERTIFICATION: "Certification",
    Kind.LICENSE: "License",
    Kind.DIPLOMA: "Diploma",
    Kind.ASSOCIATE: "AssociateDegree",
    Kind.BACHELOR: "BachelorDegree",
    Kind.MASTER: "MasterDegree",
    Kind.DOCTORATE: "DoctoralDegree",
    Kind.OTHER: "Credential",
}

LEARNING_TYPES = frozenset(
    {"LearningOpportunityProfile", "LearningOpportunity", "LearningProgram", "Course"}
)
ASSESSMENT_TYPES = frozenset({"AssessmentProfile", "Assessment"})
COMPONENT_TYPES = frozenset(
    {
        "AssessmentComponent",
        "BasicComponent",
        "CocurricularComponent",
        "CollectionComponent",
        "CompetencyComponent",
        "CourseComponent",
        "CredentialComponent",
        "ExtracurricularComponent",
        "JobComponent",
        "MultiComponent",
        "WorkExperienceComponent",
    }
)
ORGANIZATION_TYPES = frozenset(
    {"CredentialOrganization", "QACredentialOrganization", "Organization"}
)
PATHWAY_TYPES = frozenset({"Pathway"})
COMPETENCY_TYPES = frozenset({"Competency"})
