import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture
def live_course(transactional_db, live_server):
    """The real content/ imported, served by a live server; returns its base URL."""
    call_command("import_content", str(settings.BASE_DIR / "content"), verbosity=0)
    return live_server.url


@pytest.fixture
def csp_violations(page):
    """Console errors about the Content-Security-Policy seen while the test ran."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return violations
