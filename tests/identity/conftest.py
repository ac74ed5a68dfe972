"""Sign-in fixtures: a real OpenID provider and a tracker server that trusts it."""
import pytest

from support.client import Company
from support.idp import OidcProvider, oidc_env, tracker
from support.server import free_port

TEAM_MAP = ('{"staff": {"team": "Staff", "role": "member"}, '
            '"tracker-admins": {"team": "Staff", "role": "lead"}}')
OIDC_USERS = {
    "alice": {"email": "alice@example.com", "email_verified": True, "name": "Alice Adams",
              "groups": ["staff", "tracker-admins"]},
    "erin": {"email": "erin@example.com", "email_verified": True, "name": "Erin Evans",
             "groups": ["staff"]},
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc")
    port, closed_port = free_port(), free_port()
    idp = OidcProvider(folder, ["http://127.0.0.1:%d/login/oidc/callback" % p
                                for p in (port, closed_port)], OIDC_USERS)
    idp.tracker_port, idp.closed_port = port, closed_port
    yield idp
    idp.stop()


@pytest.fixture(scope="module")
def sso_server(provider, tmp_path_factory):
    """Trusts the provider, creates users at first sign-in, and refuses local passwords but root's."""
    srv = tracker(tmp_path_factory.mktemp("sso"), port=provider.tracker_port,
                  **oidc_env(provider.issuer, TRACKER_SSO_ONLY="true",
                             TRACKER_BREAK_GLASS_USERS="root", TRACKER_OIDC_TEAM_MAP=TEAM_MAP))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def sso_company(sso_server):
    return Company(sso_server)
