"""The backup command, run as a process of its own while another one writes."""

import sqlite3
import threading

import pytest

from tests.support import manage

pytestmark = pytest.mark.system


def on(database):
    """The environment of a development site on the SQLite file `database`."""
    return {"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}


def test_a_backup_taken_during_writes_is_consistent_and_restores(tmp_path):
    live = tmp_path / "live.sqlite3"
    assert manage("migrate", "-v0", env=on(live)).returncode == 0
    assert manage("import_content", env=on(live)).returncode == 0

    stop = threading.Event()

    def keep_writing():
        writer = sqlite3.connect(live, timeout=20)
        writer.execute("PRAGMA journal_mode=WAL")
        while not stop.is_set():
            with writer:
                writer.execute(
                    "INSERT INTO quizzes_learner (created_at) VALUES (CURRENT_TIMESTAMP)"
                )
        writer.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = manage("backup", str(tmp_path / "copy.sqlite3"), env=on(live))
    finally:
        stop.set()
        writer.join()
    assert result.returncode == 0, result.stderr
    assert "integrity check: ok" in result.stdout

    restored = tmp_path / "restored.sqlite3"
    (tmp_path / "copy.sqlite3").rename(restored)
    check = manage(
        "shell",
        "-c",
        "from course.models import Section; print(Section.objects.get().number)",
        env=on(restored),
    )
    assert check.stdout.strip().splitlines()[-1] == "2.4"
    assert manage("migrate", "--check", env=on(restored)).returncode == 0


def test_backup_refuses_to_overwrite_a_file(tmp_path):
    live = tmp_path / "live.sqlite3"
    manage("migrate", "-v0", env=on(live))
    (tmp_path / "exists.sqlite3").write_text("keep me")
    result = manage("backup", str(tmp_path / "exists.sqlite3"), env=on(live))
    assert result.returncode != 0
    assert "already exists" in result.stderr
    assert (tmp_path / "exists.sqlite3").read_text() == "keep me"
