import os
import sqlite3
import subprocess
import sys
import threading

from django.conf import settings


def manage(*args, database):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update({"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,  # a hang fails the test instead of stalling the suite
    )


def test_a_backup_taken_during_writes_is_consistent_and_restores(tmp_path):
    live = tmp_path / "live.sqlite3"
    assert manage("migrate", "-v0", database=live).returncode == 0
    assert manage("import_content", database=live).returncode == 0

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
        result = manage("backup", str(tmp_path / "copy.sqlite3"), database=live)
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
        database=restored,
    )
    assert check.stdout.strip().splitlines()[-1] == "2.4"
    assert manage("migrate", "--check", database=restored).returncode == 0


def test_backup_refuses_to_overwrite_a_file(tmp_path):
    live = tmp_path / "live.sqlite3"
    manage("migrate", "-v0", database=live)
    (tmp_path / "exists.sqlite3").write_text("keep me")
    result = manage("backup", str(tmp_path / "exists.sqlite3"), database=live)
    assert result.returncode != 0
    assert "already exists" in result.stderr
    assert (tmp_path / "exists.sqlite3").read_text() == "keep me"
