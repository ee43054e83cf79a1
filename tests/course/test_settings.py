import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from course.project.settings import database_config
from tests.support import manage


def test_default_sqlite_connection_uses_wal_normal_sync_and_a_timeout(tmp_path, django_db_blocker):
    """Read the pragmas back from a live connection opened with the site's own options."""
    config = database_config(f"sqlite:///{tmp_path / 'site.sqlite3'}")
    wrapper = DatabaseWrapper({**config, "TIME_ZONE": None, "AUTOCOMMIT": True}, alias="probe")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def test_the_test_database_runs_with_the_same_options(db):
    if connection.vendor != "sqlite":
        assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.transaction_mode == "IMMEDIATE"


def test_postgres_url_selects_postgresql():
    config = database_config("postgres://user:pw@db.example:5432/course")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "course"
    assert config["CONN_MAX_AGE"] > 0


def run_settings(env):
    """Load the settings in a process of its own, configured by `env`; prints DEBUG."""
    code = "from django.conf import settings; print(settings.DEBUG)"
    return manage("shell", "--no-imports", "-c", code, env=env)


@pytest.mark.system
def test_production_refuses_the_development_secret_key():
    result = run_settings({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.system
def test_debug_is_off_unless_asked_for():
    key = "a-production-secret-key-that-is-long-and-random-0123456789abcdef"
    assert run_settings({"DJANGO_SECRET_KEY": key}).stdout.strip() == "False"
    assert run_settings({"DJANGO_DEBUG": "1"}).stdout.strip() == "True"


@pytest.mark.system
def test_a_redis_url_puts_both_caches_and_the_sessions_copies_in_redis():
    code = (
        "from django.conf import settings; "
        "print(sorted({c['BACKEND'] for c in settings.CACHES.values()}), "
        "settings.CACHES['shared']['LOCATION'], settings.SESSION_CACHE_ALIAS)"
    )
    env = {"DJANGO_DEBUG": "1", "DJANGO_REDIS_URL": "redis://cache.internal:6379/0"}
    output = manage("shell", "--no-imports", "-c", code, env=env).stdout.strip()
    assert output == (
        "['django.core.cache.backends.redis.RedisCache'] redis://cache.internal:6379/0 shared"
    )


@pytest.mark.system
def test_without_redis_the_shared_cache_is_a_folder_every_worker_reads(tmp_path):
    code = (
        "from django.core.cache import caches; from course.page_cache import content_version; "
        "print(type(caches['shared']).__name__, content_version())"
    )
    env = {"DJANGO_DEBUG": "1", "DJANGO_CACHE_DIR": str(tmp_path)}
    first = manage("shell", "--no-imports", "-c", code, env=env).stdout.split()
    second = manage("shell", "--no-imports", "-c", code, env=env).stdout.split()
    assert first[0] == "FileBasedCache"
    assert first == second  # a second process reads the version the first one made
