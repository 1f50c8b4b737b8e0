"""The organisers' pages are served to their roles only, with their module and no inline code."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from server_helpers import Api

from evote.rules.roles import Role

HTML = {"Accept": "text/html"}


@pytest.mark.parametrize(
    ("path", "allowed", "refused", "script"),
    [
        ("/support", (Role.SUPPORT, Role.ADMIN), (Role.DELEGATE, Role.PRESIDIUM), "/js/pages/support.js"),
        ("/admin", (Role.ADMIN,), (Role.SUPPORT, Role.PRESIDIUM), "/js/pages/admin.js"),
        ("/presidium/presence", (Role.PRESIDIUM, Role.ADMIN), (Role.SUPPORT,), "/js/pages/localtime.js"),
    ],
)
def test_staff_pages_for_their_roles(
    logged_in: Callable[..., Api], path: str, allowed: tuple[Role, ...], refused: tuple[Role, ...],
    script: str,
) -> None:
    for role in allowed:
        resp = logged_in(role).get(path, headers=HTML)
        assert resp.status_code == 200, (role, resp.status_code)
        page = resp.get_data(as_text=True)
        assert f'src="{script}"' in page and 'integrity="sha384-' in page
        assert " style=" not in page and " onclick=" not in page
    for role in refused:
        assert logged_in(role).get(path, headers=HTML).status_code == 403
