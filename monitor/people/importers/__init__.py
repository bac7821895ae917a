"""Importing people from contacts files: vCard 2.1/3.0/4.0 and Google, Outlook and HubSpot CSV.

``import_people(store, path, tags, progress_callback)`` reads one file, tells its
format from its content (vCard) or headers (CSV), and merges it into the store in
one transaction, returning an ImportReport (added, merged, unchanged, skipped).
"""

from monitor.people.importers.apply import ImportReport, ProgressCallback, import_people, read_records
from monitor.people.importers.records import Contact, Skipped

__all__ = ["Contact", "ImportReport", "ProgressCallback", "Skipped", "import_people", "read_records"]
