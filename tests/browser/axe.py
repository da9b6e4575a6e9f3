"""axe-core in the browser under test: inject the npm-installed copy, run it, report violations.

axe-core comes from `node_modules/axe-core/axe.min.js` (installed by `npm ci` from
package.json). Nothing is downloaded here: a missing file fails with a hint, never skips.
"""

from functools import cache
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.1 A and AA: what Dutch public-sector sites must meet (EN 301 549).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# How many offending elements each violation shows in a failure message.
TARGETS_SHOWN = 3
SNIPPET_LENGTH = 240

# Only what the report needs crosses the WebDriver wire: a full axe result is megabytes.
_RUN_AXE = """
const [tags, done] = arguments;
axe.run(document, {runOnly: {type: "tag", values: tags}})
  .then((results) => done({
    violations: results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({
        target: node.target, html: node.html, summary: node.failureSummary,
      })),
    })),
  }))
  .catch((error) => done({error: String(error)}));
"""


@cache
def axe_source() -> str:
    if not AXE_SOURCE.is_file():
        raise FileNotFoundError(
            f"{AXE_SOURCE} is missing: run `npm ci` in {REPO_ROOT} (axe-core is a devDependency "
            "in package.json)."
        )
    return AXE_SOURCE.read_text(encoding="utf-8")


def run_axe(driver: WebDriver) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe finds in the page the driver shows now."""
    if not driver.execute_script("return typeof window.axe !== 'undefined';"):
        driver.execute_script(axe_source())
    result = driver.execute_async_script(_RUN_AXE, list(WCAG_TAGS))
    if "error" in result:
        raise RuntimeError(f"axe.run failed on {driver.current_url}: {result['error']}")
    return result["violations"]


def _selector(target: list) -> str:
    # A target is a list of selectors: one per frame or shadow root on the way to the node.
    return " >>> ".join(" ".join(part) if isinstance(part, list) else str(part) for part in target)


def _snippet(html: str) -> str:
    html = " ".join(html.split())
    return html if len(html) <= SNIPPET_LENGTH else html[: SNIPPET_LENGTH - 1] + "…"


def _why(summary: str) -> str:
    # "Fix any of the following:" headings carry no information; the reasons do.
    reasons = [
        line.strip()
        for line in summary.splitlines()
        if line.strip() and not line.strip().startswith("Fix ")
    ]
    return _snippet("; ".join(reasons))


def format_violations(violations: list[dict], url: str) -> str:
    """A report a person can act on from CI output: rule, impact, help, where and what."""
    lines = [f"{len(violations)} axe violation(s) (WCAG 2.1 AA) on {url}:"]
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"- {violation['id']} [{violation['impact']}] {violation['help']} "
            f"({len(nodes)} element(s); {violation['helpUrl']})"
        )
        for node in nodes[:TARGETS_SHOWN]:
            lines.append(f"    {_selector(node['target'])}")
            lines.append(f"        {_snippet(node['html'])}")
            if node.get("summary"):
                lines.append(f"        {_why(node['summary'])}")
        if len(nodes) > TARGETS_SHOWN:
            lines.append(f"    … and {len(nodes) - TARGETS_SHOWN} more")
    return "\n".join(lines)


def axe_report(driver: WebDriver) -> str | None:
    """The failure message for the current page, or None when axe finds nothing."""
    violations = run_axe(driver)
    return format_violations(violations, driver.current_url) if violations else None


def assert_no_axe_violations(driver: WebDriver) -> None:
    report = axe_report(driver)
    if report:
        pytest.fail(report, pytrace=False)
