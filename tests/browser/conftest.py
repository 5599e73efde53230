"""Playwright harness: Debian's chromium against pytest-django's live server, axe on every page.

Every page a journey loads must be checked with `check_a11y` (or loaded through
`visit`, which does it): the pages from `page` and `new_page` count their main-frame
loads, and a test that passed fails at teardown when one of them was never checked,
so a journey cannot skip a page by accident. The same teardown fails on a script error
or a request the Content Security Policy refused (a blocked portal.js would otherwise
go unnoticed: the pages still render).
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, expect, sync_playwright

from regions.models import HealthcareRegion

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}

_axe = Axe()
# page -> list of [url, checked] per main-frame load, for the "every page checked" rule.
_loads: dict[Page, list[list]] = {}
# page -> script errors and CSP refusals seen on it.
_errors: dict[Page, list[str]] = {}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Kept on the item so that fixtures can tell, at teardown, whether the test passed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# Browser, contexts, pages ------------------------------------------------------------


@pytest.fixture(scope="package")
def browser():
    # Playwright's sync API runs an asyncio event loop in this thread, and Django refuses
    # ORM calls from a thread with a running loop. The tests call the ORM only between
    # browser steps, never concurrently with them, so the check is relaxed while the
    # browser runs, and only then: the loop and the setting end with this package.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(request, browser, live_server):
    """Open a fresh browser context (its own cookies: another user) and return its page."""
    contexts = []

    def _new_page(viewport=None) -> Page:
        context = browser.new_context(
            viewport=viewport or DESKTOP,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            base_url=live_server.url,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        loads = _loads[page] = []
        errors = _errors[page] = []
        page.on("load", lambda loaded: loads.append([loaded.url, False]))
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                errors.append(f"{page.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield _new_page
    unchecked, errors = [], []
    for context in contexts:
        for page in context.pages:
            unchecked += [url for url, checked in _loads.pop(page, []) if not checked]
            errors += _errors.pop(page, [])
        context.close()
    report = getattr(request.node, "report_call", None)
    if report is None or not report.passed:
        return
    if unchecked:
        pytest.fail(
            "Sidor laddades utan att axe kördes på dem (anropa check_a11y): "
            + ", ".join(unchecked),
            pytrace=False,
        )
    if errors:
        pytest.fail("Fel i webbläsaren:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def visit(live_server):
    """Go to a path on the live server, assert the status, and check the page with axe."""

    def _visit(page: Page, path: str, name: str, *, status: int = 200):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == status, (
            f"{path}: väntade status {status}, fick {response and response.status}"
        )
        check_a11y(page, name)
        return response

    return _visit


# Accessibility -----------------------------------------------------------------------


def _test_name() -> str:
    # "tests/browser/test_x.py::test_name[param] (call)" -> "test_name-param"
    current = os.environ.get("PYTEST_CURRENT_TEST", "unknown").split("::")[-1].split(" ")[0]
    return re.sub(r"[^\w.-]+", "-", current).strip("-")


def check_a11y(page: Page, name: str) -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the page; fail listing every violation.

    A full-page screenshot is saved first, whatever the result, to
    test-artifacts/screenshots/<test name>-<name>.png, for looking at by eye.
    """
    page.wait_for_load_state("load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{_test_name()}-{name}.png", full_page=True)
    for load in _loads.get(page, []):
        load[1] = True
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    if violations:
        lines = [f"axe: {len(violations)} regelbrott på {page.url} ({name}):"]
        for v in violations:
            lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
            for node in v["nodes"]:
                target = " ".join(str(t) for t in node["target"])
                lines.append(
                    f"    {target}: {node.get('failureSummary', '').replace(chr(10), ' ')}"
                )
        pytest.fail("\n".join(lines), pytrace=False)


# Users and data ----------------------------------------------------------------------


def login(page: Page, live_server, username: str, password: str) -> None:
    """Log in through the real form; checks the log-in page and the page it leads to."""
    page.goto(f"{live_server.url}/konto/logga-in/")
    check_a11y(page, f"login-{username}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_text("Inloggad som")).to_be_visible()
    check_a11y(page, f"inloggad-{username}")


@pytest.fixture
def demo_data(transactional_db):
    """The demo fixtures: six sjukvårdsregioner, 21 regions, bodies, members, meetings."""
    call_command("loaddata", "regions.yaml", "governance.yaml", verbosity=0)


# The shared fixtures build Mellansverige and Södra with factories; in the browser the
# demo data's real ones (same slugs) make the pages look as they will in use.
@pytest.fixture
def mellansverige(demo_data):
    return HealthcareRegion.objects.get(slug="mellansverige")


@pytest.fixture
def sodra(demo_data):
    return HealthcareRegion.objects.get(slug="sodra")
