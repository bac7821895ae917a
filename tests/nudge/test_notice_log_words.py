"""What the log says of each notice (issue #21, item 10: "sent a over notice").

Each line names the kind as the log names it everywhere (``the over-budget notice``,
never "a over"), the category, the person named, and how the notice went out: sent (and
how), or kept for the summary when no notification service took it.
"""

from __future__ import annotations

import logging

import pytest

from monitor.core.settings import Settings, load_settings
from monitor.core.vocabulary import NOTICE_NAMES, OVER, REPEAT, WARN
from monitor.nudge.nudger import Nudger
from monitor.store.database import Store
from tests.conftest import write_config
from tests.nudge.test_notices import (
    EVERY_PROMPT_SHOWN,
    MINUTE,
    START,
    ZONE,
    ServerStandIn,
    add_person,
    use_social,
)


@pytest.fixture
def settings(user_paths) -> Settings:
    write_config(user_paths, '[budgets]\nsocial = "10m"\ntotal = ""\n'
                             '[prompts]\nwarn_before = "2m"\nrepeat_every = "5m"\n' + EVERY_PROMPT_SHOWN)
    return load_settings(user_paths)


def notice_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if record.name == "monitor.nudge.nudger" and " notice for " in record.getMessage()]


def test_each_notice_is_named_by_its_kind_in_the_log(settings, caplog):
    caplog.set_level(logging.INFO, logger="monitor.nudge.nudger")
    notifier = ServerStandIn()
    nudger = Nudger(settings.paths.database, notifier, clock=lambda: START)
    with Store(settings.paths.database) as store:
        ana = add_person(store, "Ana Okafor", 7, 42)
        use_social(store, START - 9 * MINUTE, 9 * MINUTE)
        assert [alert.kind for alert in nudger.check(store, settings, START, ZONE)] == [WARN]
        use_social(store, START, 2 * MINUTE)
        assert [alert.kind for alert in nudger.check(store, settings, START + 2 * MINUTE, ZONE)] == [OVER]
        notifier.up = False
        use_social(store, START + 2 * MINUTE, 6 * MINUTE)
        assert [alert.kind for alert in nudger.check(store, settings, START + 8 * MINUTE, ZONE)] == [REPEAT]
    assert notice_lines(caplog) == [
        "the heads-up notice for social sent (desktop)",
        f"the over-budget notice for social naming person #{ana} sent (desktop)",
        # Ana was named two minutes ago: within prompts.suggest_gap, so no one this time
        "the still-over-budget notice for social reached only the log; "
        "kept to sum up once notifications work",
    ]


def test_every_notice_kind_has_a_one_word_name():
    for kind, name in NOTICE_NAMES.items():
        assert name, kind
        assert name == name.lower(), kind
        assert " " not in name, kind
    assert NOTICE_NAMES[OVER] == "over-budget"
