"""`wutong keys create|list|revoke`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.keys import KeyStore, Role
from api.settings import Settings

runner = CliRunner()


def test_create_prints_the_key_alone_on_the_last_line_then_list_and_revoke(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WUTONG_DATA_DIR", str(tmp_path))
    made = runner.invoke(app, ["keys", "create", "--role", "pusher", "--department", "labour",
                               "--label", "labour case system"])
    assert made.exit_code == 0, made.output
    key = made.output.rstrip("\n").splitlines()[-1]
    assert key.startswith("wt_") and " " not in key
    keys = KeyStore(Settings(data_dir=tmp_path).api_dir / "keys.sqlite3")
    found = keys.authenticate(key)
    assert found is not None and (found.role, found.department) == (Role.PUSHER, "labour")
    listed = runner.invoke(app, ["keys", "list"])
    assert found.key_id in listed.output and key not in listed.output
    assert runner.invoke(app, ["keys", "revoke", found.key_id]).exit_code == 0
    assert keys.authenticate(key) is None
    keys.close()
    assert runner.invoke(app, ["keys", "create", "--role", "pusher"]).exit_code != 0
    assert runner.invoke(app, ["keys", "create", "--role", "admin"]).exit_code == 0
