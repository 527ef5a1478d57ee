"""Reading and writing the credential world's formats: CTDL JSON-LD (credentials, pathways),
Open Badges 3.0, Rich Skill Descriptors and CSV spreadsheets.

Every importer returns an :class:`~pathplanner.interop.import_report.ImportReport` saying what
was read, mapped, approximated and skipped, and never returns a catalogue that does not pass
:func:`pathplanner.catalog.check_catalog_data`.
"""
