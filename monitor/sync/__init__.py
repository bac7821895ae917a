"""Sync: one day across all of a person's computers, through a folder they already keep in sync.

Each computer writes only its own files under ``FOLDER/<device id>/`` (segments and a
manifest: monitor.sync.segments) and reads the other computers' into its own store
(monitor.sync.ingest), tagged with their device; ActivityWatch exports dropped into
``FOLDER/inbox/`` come in as a device of their own (monitor.sync.inbox). A program the
person runs (Syncthing, Nextcloud, Dropbox, a network share) moves the files: unscroll
opens no network connection. The daemon runs one pass (monitor.sync.cycle) every
``sync.every``.
"""
