"""The beta release channel in a real browser: the owner joins beta on the Settings page, sees
the beta-only Insights page (a server-drawn SVG chart), leaves beta and it is gone again; a
workspace pinned to stable by an operator is offered no way in.

Same setup as test_browser.py: Debian's Chromium driven by Playwright's sync API against a real
gunicorn on the test database; tenants at http://<subdomain>.localhost:PORT. Screenshots go to
test-artifacts/ (git-ignored).

Never `playwright install`. Without /usr/bin/chromium these tests skip, unless
AWAN_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import re

import pytest

from tenants import errors
from tenants.channels import channel_pin
from tenants.models import ChannelChange, Tenant
from tests.e2e.browser import screenshot, sign_up, unique_subdomain

pytestmark = pytest.mark.e2e

PASSWORD = "violet-canyon-otter-6150"
INSIGHTS_LINK = "header.topbar nav a:has-text('Insights')"


def add_project_with_tasks(page, base: str, *, name: str, titles: list[str], done: str) -> None:
    """From the dashboard: a project with `titles` as tasks, the `done` one completed."""
    page.fill("#id_name", name)
    with page.expect_navigation(url=re.compile(rf"{re.escape(base)}/projects/\d+/$")):
        page.click("button:has-text('Create project')")
    for title in titles:
        page.fill("input[name=title]", title)
        with page.expect_navigation():
            page.click("form.add-task button:has-text('Add')")
    with page.expect_navigation():
        page.locator("li.task", has_text=done).locator("button.check").click()
    assert f"{len(titles) - 1} open" in page.locator("p.counts").inner_text()


def go_to_settings(page, base: str) -> None:
    with page.expect_navigation(url=f"{base}/settings/"):
        page.click("header.topbar nav a:has-text('Settings')")
    assert page.locator("h1").inner_text() == "Settings"


def channel_pills(page) -> tuple[str, str]:
    """(the pill next to the tenant name in the top bar, the pill in the Settings heading).
    text_content, not inner_text: the CSS upper-cases pills."""
    topbar = page.locator("header.topbar .brand-group > span.pill").text_content() or ""
    heading = page.locator("section#release-channel h2 span.pill").text_content() or ""
    return topbar.strip(), heading.strip()


def assert_insights_is_not_found(page, base: str, *, pinned: bool = False) -> None:
    """Still a 404 (it can't be probed for), but the page says why."""
    response = page.goto(f"{base}/insights/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Insights isn't available in this workspace"
    template = errors.FEATURE_BETA_ONLY_PINNED if pinned else errors.FEATURE_BETA_ONLY
    reason = template.format(feature="Insights")
    assert page.locator("section#feature-off p", has_text=reason).inner_text() == reason
    assert page.locator("svg.chart").count() == 0
    assert page.locator(INSIGHTS_LINK).count() == 0


def test_owner_opts_into_beta_sees_insights_then_opts_out_and_it_is_gone(page, live_server_url):
    subdomain = unique_subdomain("beta")
    email = f"owner@{subdomain}.test"
    base = sign_up(page, live_server_url, subdomain=subdomain, email=email, password=PASSWORD)
    add_project_with_tasks(
        page,
        base,
        name="Beta launch",
        titles=["Draft the changelog", "Record the demo", "Email the testers"],
        done="Record the demo",
    )

    # Stable: Settings explains beta and lists what it brings; no Insights anywhere.
    go_to_settings(page, base)
    cards = page.locator("main section.card").evaluate_all("cs => cs.map(c => c.id)")
    # The owner's settings, the dangerous one last.
    assert cards[:5] == [
        "workspace-name",
        "your-password",
        "your-data",
        "release-channel",
        "delete-workspace",
    ]
    card = page.locator("section#release-channel")
    assert "On the beta channel your workspace gets pre-release features" in card.inner_text()
    assert "switch back to stable at any time" in card.inner_text()
    features = page.locator("ul.features li")
    assert features.count() >= 1
    insights_feature = features.filter(has=page.locator("code", has_text=re.compile("^insights$")))
    assert insights_feature.count() == 1
    assert "chart of tasks created and completed" in insights_feature.inner_text()
    assert channel_pills(page) == ("Stable", "Stable")
    assert "stable" in (page.locator("header.topbar span.pill").first.get_attribute("class") or "")
    assert page.locator(INSIGHTS_LINK).count() == 0
    assert page.locator("button:has-text('Join the beta channel')").is_visible()
    assert page.locator("h2", has_text="Channel history").count() == 0
    screenshot(page, "settings-stable.png")
    assert_insights_is_not_found(page, base)

    # Join beta.
    go_to_settings(page, base)
    with page.expect_navigation(url=f"{base}/settings/"):
        page.click("button:has-text('Join the beta channel')")
    assert "You're on the beta channel." in page.locator("ul.messages").inner_text()
    assert channel_pills(page) == ("Beta", "Beta")
    assert "beta" in (page.locator("header.topbar span.pill").first.get_attribute("class") or "")
    assert page.locator(INSIGHTS_LINK).count() == 1
    assert page.locator("button:has-text('Leave beta, go back to stable')").is_visible()
    assert page.locator("button:has-text('Join the beta channel')").count() == 0
    screenshot(page, "settings-beta.png")

    # Insights: an SVG bar chart with real bars, and the totals.
    with page.expect_navigation(url=f"{base}/insights/"):
        page.click(INSIGHTS_LINK)
    assert page.locator("h1").inner_text().startswith("Insights")
    chart = page.locator("svg.chart")
    assert chart.count() == 1 and chart.is_visible()
    bars = chart.locator("rect")
    assert bars.count() == 28  # 14 days x (created, completed)
    assert chart.locator("rect.created").count() == 14
    assert chart.locator("rect.completed").count() == 14
    heights = [float(h) for h in bars.evaluate_all("rs => rs.map(r => r.getAttribute('height'))")]
    assert any(h > 0 for h in heights)
    # Today's group is the last one: 3 created (the tallest bar), 1 completed.
    assert float(chart.locator("rect.created").last.get_attribute("height") or 0) == max(heights)
    assert float(chart.locator("rect.completed").last.get_attribute("height") or 0) > 0
    rendered = chart.locator("rect.created").last.bounding_box()
    assert rendered is not None and rendered["height"] > 10  # drawn, not just in the markup
    stats = page.locator(".page-head .stats").inner_text()
    assert re.search(r"\b3\s+created\b", stats), stats
    assert re.search(r"\b1\s+completed\b", stats), stats
    screenshot(page, "insights.png")

    # Leave beta: gone from the nav, and the very next request is a 404 again.
    go_to_settings(page, base)
    with page.expect_navigation(url=f"{base}/settings/"):
        page.click("button:has-text('Leave beta, go back to stable')")
    assert "You're back on stable." in page.locator("ul.messages").inner_text()
    assert channel_pills(page) == ("Stable", "Stable")
    assert page.locator(INSIGHTS_LINK).count() == 0
    assert page.locator("button:has-text('Join the beta channel')").is_visible()

    history = page.locator("section.card", has=page.locator("h2", has_text="Channel history"))
    entries = history.locator("li")
    assert entries.count() == 2
    newest, oldest = entries.nth(0).inner_text(), entries.nth(1).inner_text()
    assert "beta → stable" in newest and f"owner:{email}" in newest
    assert "stable → beta" in oldest and f"owner:{email}" in oldest
    screenshot(page, "settings-back-to-stable.png")

    assert_insights_is_not_found(page, base)

    rows = ChannelChange.objects.filter(tenant__subdomain=subdomain).order_by("created", "id")
    assert [(r.from_channel, r.to_channel, r.actor) for r in rows] == [
        ("stable", "beta", f"owner:{email}"),
        ("beta", "stable", f"owner:{email}"),
    ]


def test_pinned_workspace_is_kept_on_stable_and_offered_no_way_into_beta(page, live_server_url):
    subdomain = unique_subdomain("beta")
    email = f"owner@{subdomain}.test"
    base = sign_up(page, live_server_url, subdomain=subdomain, email=email, password=PASSWORD)
    channel_pin(tenant=Tenant.objects.get(subdomain=subdomain), pinned=True, actor="operator:test")

    go_to_settings(page, base)
    assert "This workspace is kept on the stable channel by the Awan team." in (
        page.locator("p.notice-inline").inner_text()
    )
    assert page.locator("button:has-text('Join the beta channel')").count() == 0
    assert page.locator("form[action$='/settings/channel/']").count() == 0
    assert page.url == f"{base}/settings/"
    assert channel_pills(page) == ("Stable", "Stable")
    assert page.locator(INSIGHTS_LINK).count() == 0
    history = page.locator("section.card", has=page.locator("h2", has_text="Channel history"))
    entry = history.locator("li")
    assert entry.count() == 1
    assert "(pinned)" in entry.inner_text() and "operator:test" in entry.inner_text()
    screenshot(page, "settings-pinned.png")

    # A hand-made POST (the form the page no longer offers) doesn't get past the pin either.
    with page.expect_navigation(url=f"{base}/settings/"):
        page.evaluate(
            """() => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = new URL("channel/", location.href).href;  // from /settings/
                const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
                for (const [name, value] of [["channel", "beta"], ["csrfmiddlewaretoken", token]]) {
                    const input = document.createElement("input");
                    Object.assign(input, {type: "hidden", name, value});
                    form.append(input);
                }
                document.body.append(form);
                form.submit();
            }"""
        )
    assert errors.CHANNEL_PINNED in page.locator("ul.messages").inner_text()
    assert channel_pills(page) == ("Stable", "Stable")
    assert Tenant.objects.get(subdomain=subdomain).channel == Tenant.Channel.STABLE
    assert_insights_is_not_found(page, base, pinned=True)
