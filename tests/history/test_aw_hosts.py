"""aw_hosts: the buckets' kinds and host names, read a token at a time."""

from __future__ import annotations

import json

import pytest

from monitor.core.errors import InputError
from monitor.history.aw_hosts import bucket_hosts


def write(tmp_path, document) -> object:
    path = tmp_path / "export.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def test_each_bucket_in_file_order_with_its_kind_and_host(tmp_path):
    events = [{"timestamp": "2026-03-20T10:00:00+00:00", "duration": 5,
               "data": {"app": "x", "title": "y", "hostname": "not the bucket's"}}]
    path = write(tmp_path, {"buckets": {
        "aw-watcher-android-test": {"id": "aw-watcher-android-test", "type": "currentwindow",
                                    "hostname": "Pixel 7", "events": events},
        "aw-watcher-afk_laptop.home.arpa": {"events": [], "type": "afkstatus",
                                            "hostname": "laptop.home.arpa"},
        "aw-watcher-window_laptop.home.arpa": {"events": events, "hostname": "laptop.home.arpa",
                                               "type": "currentwindow"},
        "aw-watcher-unlocks": {"type": "os.lockscreen.unlocks", "events": events},
    }})
    assert bucket_hosts(path) == [("android", "Pixel 7"), ("afk", "laptop.home.arpa"),
                                  ("window", "laptop.home.arpa"), ("other", "")]


def test_no_buckets_is_an_empty_list_and_a_list_at_the_top_has_none(tmp_path):
    assert bucket_hosts(write(tmp_path, {"buckets": {}})) == []
    assert bucket_hosts(write(tmp_path, [{"buckets": {"a": {"hostname": "x"}}}])) == []


@pytest.mark.parametrize("text", ['{"buckets": {"a": {"hostname": "x"', "not json", "\ufeff{]"])
def test_a_file_that_is_not_json_is_refused_in_one_line_naming_it(tmp_path, text):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        bucket_hosts(path)
    assert str(path) in caught.value.message
    assert "\n" not in caught.value.message


def test_a_missing_file_is_refused_naming_it(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        bucket_hosts(tmp_path / "gone.json")
