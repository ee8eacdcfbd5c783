"""Supply-chain checks for CI (scripts/test.sh): known vulnerabilities in the pinned packages (pip-audit) and
risky patterns in our code (bandit). Every accepted finding is listed, with its reason, in supply-chain.toml.

    python scripts/supply_chain.py audit [--strict]
    python scripts/supply_chain.py bandit

The audit asks PyPI's JSON API, which carries each release's known vulnerabilities (from the OSV database),
about each pinned version: the only outside service it needs, and one of the package registries CI reaches.
Where that API does not answer (a mirror that serves only packages, a closed network), the audit prints
why it could not run and exits 0, so CI does not fail at random; `--strict` makes that an error. See
docs/decisions/0015-production-operations.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "supply-chain.toml"
LOCKS = ("requirements.lock", "requirements-dev.lock")
# Words in pip-audit's error output that mean the vulnerability service could not be reached.
NETWORK_ERRORS = ("ConnectionError", "ConnectTimeout", "ReadTimeout", "Name or service not known", "ServiceError")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    lines: list[str]


def load_config(path: Path = CONFIG) -> dict[str, Any]:
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    for section, key in (("audit", "accepted"), ("bandit", "accepted"), ("bandit", "skipped")):
        for entry in config.get(section, {}).get(key, []):
            if not str(entry.get("reason", "")).strip():
                raise ValueError(f"supply-chain.toml: [{section}] {key} entry without a reason: {entry}")
    return config


def judge_audit(report: dict[str, Any], accepted: list[dict[str, str]], strict: bool) -> Verdict:
    """pip-audit's JSON report against the accepted findings."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if "skip_reason" in d]
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        reason = skipped[0]["skip_reason"] if skipped else "no pinned packages found"
        line = (
            f"SKIPPED: the vulnerability service answered for none of the {len(dependencies)} pinned packages "
            f"(e.g. {reason}). This machine reaches the package index but not PyPI's JSON API; run the audit "
            "where it does (docs/drift.md)."
        )
        return Verdict(ok=not strict, lines=[line])
    lines = [f"{len(audited)} pinned packages audited against PyPI's vulnerability data."]
    lines += [f"not audited: {d['name']}: {d['skip_reason']}" for d in skipped]
    problems = 0
    for dependency in audited:
        for vuln in dependency.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            match = next(
                (a for a in accepted if a["id"] in ids and a.get("package", dependency["name"]) == dependency["name"]),
                None,
            )
            where = f"{dependency['name']} {dependency['version']}: {vuln['id']}"
            if match:
                lines.append(f"accepted: {where}: {match['reason']}")
            else:
                problems += 1
                fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
                lines.append(f"VULNERABLE: {where} (fixed in {fixed}): {vuln.get('description', '')[:200]}")
    if skipped and strict:
        problems += len(skipped)
    return Verdict(ok=problems == 0, lines=lines)


def run_audit(strict: bool) -> Verdict:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "audit.json"
        command = [sys.executable, "-m", "pip_audit", "--vulnerability-service", "pypi"]
        command += ["--no-deps", "--disable-pip", "--progress-spinner", "off", "-f", "json", "-o", str(output)]
        for lock in LOCKS:
            command += ["-r", str(ROOT / lock)]
        try:
            finished = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        except subprocess.TimeoutExpired:
            return Verdict(ok=not strict, lines=["SKIPPED: the vulnerability service did not answer in 10 minutes."])
        if not output.exists():
            last = (finished.stderr.strip().splitlines() or ["(no message)"])[-1]
            if any(word in finished.stderr for word in NETWORK_ERRORS):
                return Verdict(ok=not strict, lines=[f"SKIPPED: the vulnerability service is unreachable: {last}"])
            return Verdict(ok=False, lines=[f"pip-audit failed (exit {finished.returncode}): {last}"])
        report = json.loads(output.read_text(encoding="utf-8"))
    return judge_audit(report, load_config().get("audit", {}).get("accepted", []), strict)


def judge_bandit(report: dict[str, Any], config: dict[str, Any]) -> Verdict:
    """Bandit's findings per (test, file) against the accepted counts; more than accepted fails."""
    accepted = {(a["test"], a["file"]): a for a in config.get("accepted", [])}
    found = Counter((r["test_id"], r["filename"]) for r in report.get("results", []))
    lines: list[str] = [f"bandit: {path}: {error['reason']}" for path, error in _errors(report)]
    ok = not lines
    for (test, path), count in sorted(found.items()):
        entry = accepted.get((test, path))
        if entry is None or count > int(entry["count"]):
            ok = False
            details = [r for r in report["results"] if (r["test_id"], r["filename"]) == (test, path)]
            lines += [f"FINDING: {r['filename']}:{r['line_number']}: {test} {r['issue_text']}" for r in details]
        else:
            lines.append(f"accepted: {path}: {test} ×{count}: {entry['reason']}")
    for (test, path), entry in sorted(accepted.items()):
        if found[(test, path)] < int(entry["count"]):
            lines.append(f"note: {path}: {test} now found {found[(test, path)]}× (accepted {entry['count']}×)")
    return Verdict(ok=ok, lines=lines)


def _errors(report: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    return [(e.get("filename", "?"), e) for e in report.get("errors", [])]


def run_bandit() -> Verdict:
    config = load_config().get("bandit", {})
    skips = ",".join(s["test"] for s in config.get("skipped", []))
    command = [sys.executable, "-m", "bandit", "-r", "lokalkompas", "-x", "*/migrations/*", "-f", "json", "-q"]
    if skips:
        command += ["--skip", skips]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    try:
        report = json.loads(finished.stdout)
    except json.JSONDecodeError:
        return Verdict(ok=False, lines=[f"bandit failed (exit {finished.returncode}): {finished.stderr.strip()}"])
    return judge_bandit(report, config)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("check", choices=("audit", "bandit"))
    parser.add_argument("--strict", action="store_true", help="audit: fail when the audit cannot run")
    args = parser.parse_args(argv)
    verdict = run_audit(args.strict) if args.check == "audit" else run_bandit()
    for line in verdict.lines:
        print(line)
    print(f"{args.check}: {'ok' if verdict.ok else 'FAILED'}")
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
