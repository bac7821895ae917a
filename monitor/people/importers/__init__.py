"""Importing people from contacts files: vCard 2.1/3.0/4.0 and Google, Outlook and HubSpot CSV.

``import_people(store, path, tags, progress_callback)`` reads one file (``source``: only
regular files, within a size limit, its encoding told), tells its format from its
content (vCard) or headers (CSV), and merges it into the store in one transaction
(``matching``), returning an ImportReport (added, merged, unchanged, kept apart,
skipped, warnings); with ``dry_run`` nothing is written.
"""

from monitor.people.importers.apply import ProgressCallback, import_people, read_records
from monitor.people.importers.records import Contact, FieldWarning, Skipped
from monitor.people.importers.report import ImportReport, KeptApart, Outcome

__all__ = ["Contact", "FieldWarning", "ImportReport", "KeptApart", "Outcome", "ProgressCallback", "Skipped",
           "import_people", "read_records"]
