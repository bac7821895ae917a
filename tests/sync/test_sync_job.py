"""The daemon's sync job: a folder that cannot be used is said once, never raised; off stops the marking."""

from __future__ import annotations

import logging
import time
from datetime import UTC

from monitor.core.settings import load_settings
from monitor.daemon.sync_job import SyncJob
from monitor.store.database import Store
from monitor.store.sync_capture import capturing
from tests.conftest import write_config
from tests.sync.world import Machine, recent_stretch


def job_for(user_paths) -> SyncJob:
    return SyncJob(lambda: load_settings(user_paths), zone=lambda: UTC, clock=time.time)


def test_a_folder_that_is_not_there_is_said_once_and_waited_for(user_paths, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    folder = tmp_path / "share-not-mounted" / "unscroll"
    write_config(user_paths, f'[sync]\nfolder = "{folder}"\n')
    job = job_for(user_paths)
    for _ in range(3):
        job.run()
    said = [r.getMessage() for r in caplog.records if "does not exist" in r.getMessage()]
    assert said == [f"sync: {folder}: its parent folder {folder.parent} does not exist (a share not mounted, "
                    "or a sync program not set up yet?); sync waits for it"]
    assert not folder.parent.exists()  # nothing made outside an existing folder
    folder.parent.mkdir()
    job.run()
    assert [p.name for p in folder.iterdir()]  # this computer's folder, once the share is there


def test_a_file_where_the_folder_should_be_is_said_once(user_paths, tmp_path, caplog):
    target = tmp_path / "unscroll"
    target.write_text("not a folder")
    write_config(user_paths, f'[sync]\nfolder = "{target}"\n')
    job = job_for(user_paths)
    job.run()
    job.run()
    assert caplog.text.count("sync.folder is a file, not a folder") == 1


def test_news_from_another_device_wakes_the_nudger_and_off_stops_marking(user_paths, tmp_path):
    folder = tmp_path / "Sync" / "unscroll"
    folder.parent.mkdir()
    write_config(user_paths, f'[sync]\nfolder = "{folder}"\n')
    woken: list[bool] = []
    job = SyncJob(lambda: load_settings(user_paths), zone=lambda: UTC, clock=time.time,
                  on_news=lambda: woken.append(True))
    job.run()
    with Store(user_paths.database) as store:
        assert capturing(store)
    other = Machine(tmp_path / "other", folder, "laptop")
    start = recent_stretch(5)
    other.use(start, start + 60)
    other.sync()
    other.close()
    job.run()
    assert woken == [True]
    write_config(user_paths, "")
    job.stop_if_off()
    with Store(user_paths.database) as store:
        assert not capturing(store)
        assert store.connection.execute("SELECT COUNT(*) FROM sync_dirty").fetchone()[0] == 0
