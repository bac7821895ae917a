"""Who this computer is to the others: a device id made once and kept in the store, and its name.

The id is 26 random base-32 letters, made the first time sync runs and kept in the data
folder's database (the state key ``sync.device_id``): a new host name, a renamed
computer or a new ``sync.device_name`` keep it, so one computer never splits into two.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from monitor.store.database import Store
from monitor.store.devices import SELF, Device, get_device, save_device

DEVICE_ID_KEY = "sync.device_id"


@dataclass(frozen=True)
class Identity:
    """The device id and name of this computer."""

    id: str
    name: str


def new_id() -> str:
    """A fresh device id: 128 random bits in lower-case base 32 (26 letters and digits 2-7)."""
    return base64.b32encode(os.urandom(16)).decode("ascii").rstrip("=").lower()


def new_person_id() -> str:
    """A fresh sync id for a person (96 random bits, hex)."""
    return os.urandom(12).hex()


def this_device(store: Store, name: str) -> Identity:
    """The identity of this computer (made on first use) under ``name``, kept as the ``self`` device."""
    device_id = store.get_state(DEVICE_ID_KEY)
    device = None if device_id is None else get_device(store.connection, device_id)
    if device_id is not None and device is not None and device.name == name:
        return Identity(device_id, name)
    with store.transaction() as connection:
        device_id = store.get_state(DEVICE_ID_KEY)  # again, inside the write lock
        if device_id is None:
            device_id = new_id()
            store.set_state(DEVICE_ID_KEY, device_id)
        device = get_device(connection, device_id) or Device(device_id, name, SELF)
        device.name = name
        save_device(connection, device)
    return Identity(device_id, name)


def known_id(store: Store) -> str | None:
    """The device id of this computer, if sync ever ran here."""
    return store.get_state(DEVICE_ID_KEY)
