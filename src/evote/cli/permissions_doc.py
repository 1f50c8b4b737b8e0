"""Writes ``docs/permissions.md`` from :data:`evote.webapp.permissions.MATRIX`.

Run ``python -m evote.cli.permissions_doc`` after changing the matrix; a test fails while the
document differs from what this renders, so the doc can never drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from evote.rules.roles import Role
from evote.webapp.app import create_app
from evote.webapp.permissions import ACTION_ATTRIBUTE, MATRIX, Action

DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"

_INTRO = """\
# Permissions

Generated from `src/evote/webapp/permissions.py` by `python -m evote.cli.permissions_doc`; do not edit by
hand (a test compares this file with the code).

Every HTTP endpoint names one action with `@requires(Action.X)`; the matrix below decides who
may perform it. A participant may hold several roles; any one that allows an action is enough.
Two further gates apply on top of the role:

- **check-in**: the participant has confirmed attendance (`POST /api/checkin`) after the event
  opened;
- **voting right**: the participant is an active delegate with a voting right, checked in
  (`evote.people.attendance.can_vote`).

Refusals are JSON `{"error": code, "message": ..., "action": ...}` with these codes:
`login_required` (401), `forbidden`, `not_checked_in`, `no_voting_right` (403).
Every state-changing request also needs the CSRF token (`csrf_failed`, 403), see docs/api.md.

Support staff never get an action that reveals or touches a vote. They may reset the password of
delegates and guest delegates only; staff accounts are reset by an admin.

Legend: ✔ allowed · ✔ᶜ allowed once checked in · ✔ᵛ allowed once checked in and holding a voting
right · – refused. "anyone" includes visitors who are not logged in.
"""


def endpoints_by_action() -> dict[Action, list[str]]:
    """``METHOD /path`` of every route of the app, grouped by the action its view requires."""
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "docs", "TESTING": True})
    found: dict[Action, list[str]] = {a: [] for a in MATRIX}
    for rule in app.url_map.iter_rules():
        action = getattr(app.view_functions[rule.endpoint], ACTION_ATTRIBUTE, None)
        if action is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found[action].append(f"{method} {rule.rule}")
    return {a: sorted(v, key=lambda e: (e.split()[1], e)) for a, v in found.items()}


def render() -> str:
    roles = list(Role)
    header = "| action | what it is | anyone | " + " | ".join(r.value for r in roles) + " |"
    rule_line = "|" + "---|" * (3 + len(roles))
    lines = [_INTRO, header, rule_line]
    for action, rule in MATRIX.items():
        if rule.public:
            cells = ["✔"] + ["✔"] * len(roles)
        else:
            mark = "✔ᵛ" if rule.needs_voting_right else "✔ᶜ" if rule.needs_checkin else "✔"
            cells = ["–"] + [mark if role in rule.roles else "–" for role in roles]
        lines.append(f"| `{action.value}` | {rule.summary} | " + " | ".join(cells) + " |")
    lines += ["", "## Endpoints by action", ""]
    for action, endpoints in endpoints_by_action().items():
        inside = MATRIX[action].within
        text = ", ".join(f"`{e}`" for e in endpoints)
        if inside:
            text = (text + "; " if text else "") + "checked inside " + ", ".join(
                f"`{e}`" for e in inside
            )
        lines.append(f"- `{action.value}`: " + (text or "(none yet)"))
    return "\n".join(lines) + "\n"


def main() -> None:
    DOC.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")


if __name__ == "__main__":
    main()
