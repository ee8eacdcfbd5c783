"""scripts/supply_chain.py: what fails CI, what is accepted with a reason, and what is skipped out loud."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

# Engine-independent and slow: once, in the PostgreSQL pass of scripts/test.sh.
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("supply_chain", ROOT / "scripts" / "supply_chain.py")
assert _spec is not None and _spec.loader is not None
supply_chain: Any = importlib.util.module_from_spec(_spec)
sys.modules["supply_chain"] = supply_chain  # dataclasses look their module up there
_spec.loader.exec_module(supply_chain)

VULN = {"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2026-1234"], "fix_versions": ["5.2.99"], "description": "x"}


def report(*dependencies: dict[str, Any]) -> dict[str, Any]:
    return {"dependencies": list(dependencies), "fixes": []}


def test_a_known_vulnerability_fails_the_audit_and_names_the_package_and_the_fix():
    verdict = supply_chain.judge_audit(report({"name": "django", "version": "5.2.1", "vulns": [VULN]}), [], False)
    assert not verdict.ok
    assert "VULNERABLE: django 5.2.1: GHSA-aaaa-bbbb-cccc (fixed in 5.2.99)" in verdict.lines[-1]


def test_an_accepted_vulnerability_passes_with_its_reason_also_by_its_alias():
    accepted = [{"id": "CVE-2026-1234", "package": "django", "reason": "only in the admin, which is not installed"}]
    verdict = supply_chain.judge_audit(report({"name": "django", "version": "5.2.1", "vulns": [VULN]}), accepted, False)
    assert verdict.ok
    assert verdict.lines[-1].endswith("only in the admin, which is not installed")
    other_package = [{**accepted[0], "package": "flask"}]
    django = report({"name": "django", "version": "5.2.1", "vulns": [VULN]})
    assert not supply_chain.judge_audit(django, other_package, False).ok


def test_an_audit_that_reached_no_package_is_skipped_out_loud_and_fails_when_strict():
    unreachable = report({"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"})
    verdict = supply_chain.judge_audit(unreachable, [], False)
    assert verdict.ok and verdict.lines[0].startswith("SKIPPED: the vulnerability service answered for none")
    assert not supply_chain.judge_audit(unreachable, [], True).ok


def test_clean_packages_pass_and_unaudited_ones_are_listed():
    verdict = supply_chain.judge_audit(
        report({"name": "django", "version": "5.2.1", "vulns": []}, {"name": "odd", "skip_reason": "not on PyPI"}),
        [],
        False,
    )
    assert verdict.ok and "not audited: odd: not on PyPI" in verdict.lines


def finding(test: str, path: str, line: int = 1) -> dict[str, Any]:
    return {"test_id": test, "filename": path, "line_number": line, "issue_text": "risky"}


def test_bandit_findings_pass_only_up_to_the_accepted_count_per_file():
    config = {"accepted": [{"test": "B608", "file": "a.py", "count": 1, "reason": "parameters"}]}
    assert supply_chain.judge_bandit({"results": [finding("B608", "a.py")]}, config).ok
    twice = supply_chain.judge_bandit({"results": [finding("B608", "a.py"), finding("B608", "a.py", 9)]}, config)
    assert not twice.ok and "FINDING: a.py:9: B608 risky" in twice.lines
    elsewhere = supply_chain.judge_bandit({"results": [finding("B608", "b.py")]}, config)
    assert not elsewhere.ok


def test_bandit_errors_fail_and_a_fixed_finding_is_noted():
    config = {"accepted": [{"test": "B608", "file": "a.py", "count": 1, "reason": "parameters"}]}
    broken = supply_chain.judge_bandit({"results": [], "errors": [{"filename": "c.py", "reason": "syntax"}]}, config)
    assert not broken.ok and "bandit: c.py: syntax" in broken.lines
    assert "note: a.py: B608 now found 0× (accepted 1×)" in supply_chain.judge_bandit({"results": []}, config).lines


def test_the_shipped_acceptances_each_give_a_reason_and_one_without_is_refused(tmp_path):
    config = supply_chain.load_config()
    assert config["bandit"]["accepted"] and all(a["reason"] for a in config["bandit"]["accepted"])
    bad = tmp_path / "supply-chain.toml"
    bad.write_text('[audit]\naccepted = [{ id = "CVE-1", package = "x", reason = " " }]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="without a reason"):
        supply_chain.load_config(bad)
