"""OpenID Connect, the authorization code flow with PKCE, `state` and `nonce` (authlib): discovery,
the provider's JWKS, and the ID token's signature, `iss`, `aud`, `exp`, `iat` and `nonce` verified.

Blocking HTTP (requests): call from a worker thread, never the event loop."""
import logging
import threading
import time

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749.errors import OAuth2Error
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

log = logging.getLogger("tracker.identity")
TIMEOUT = 10  # seconds for each request to the provider
METADATA_SECONDS = 3600  # discovery and keys are fetched again after this (and on an unknown key)
LEEWAY = 120  # seconds of clock difference tolerated on exp and iat


class ProviderDown(Exception):
    """The provider did not answer, or answered nonsense: nobody's fault here, try again later."""


class Refused(Exception):
    """The provider or its token said no (the user cancelled, a bad or forged token)."""


class Client:
    """One relying party at one issuer; keeps the discovery document and keys for an hour."""

    def __init__(self, config):
        self.config = config
        self._lock = threading.Lock()
        self._metadata, self._keys, self._fetched_at = None, None, 0.0

    def _get_json(self, url):
        try:
            answer = requests.get(url, timeout=TIMEOUT)
            answer.raise_for_status()
            return answer.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("identity provider unavailable at %s: %s", url, type(exc).__name__)
            raise ProviderDown(url) from None

    def metadata(self, force=False):
        with self._lock:
            if force or self._metadata is None or time.monotonic() - self._fetched_at > METADATA_SECONDS:
                found = self._get_json(self.config.issuer + "/.well-known/openid-configuration")
                if found.get("issuer", "").rstrip("/") != self.config.issuer:
                    log.warning("the discovery document names issuer %r", found.get("issuer"))
                    raise ProviderDown("issuer mismatch")
                self._metadata, self._keys = found, None
                self._fetched_at = time.monotonic()
            return self._metadata

    def keys(self, force=False):
        metadata = self.metadata(force=force)
        with self._lock:
            if self._keys is None or force:
                self._keys = KeySet.import_key_set(self._get_json(metadata["jwks_uri"]))
            return self._keys

    def session(self, redirect_uri):
        return OAuth2Session(self.config.client_id, self.config.client_secret or None,
                             scope=self.config.scopes, redirect_uri=redirect_uri,
                             code_challenge_method="S256", timeout=TIMEOUT)

    def start(self, redirect_uri):
        """(the provider's URL to send the browser to, state, nonce, code_verifier)."""
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
        with self.session(redirect_uri) as session:
            url, _ = session.create_authorization_url(
                self.metadata()["authorization_endpoint"], state=state, nonce=nonce,
                code_verifier=verifier)
        return url, state, nonce, verifier

    def finish(self, code, verifier, nonce, redirect_uri):
        """The verified ID token's claims (plus the userinfo endpoint's, for the same `sub`)."""
        metadata = self.metadata()
        try:
            with self.session(redirect_uri) as session:
                token = session.fetch_token(metadata["token_endpoint"], code=code,
                                            code_verifier=verifier, grant_type="authorization_code")
        except OAuth2Error as exc:
            raise Refused("the provider refused the code: %s" % exc.error) from None
        except (requests.RequestException, ValueError):
            raise ProviderDown(metadata["token_endpoint"]) from None
        if "id_token" not in token:
            raise Refused("the provider sent no ID token")
        claims = self.verify(token, nonce)
        return self.with_userinfo(claims, token, metadata)

    def verify(self, token, nonce):
        metadata = self.metadata()
        registry = JWSRegistry(algorithms=metadata.get("id_token_signing_alg_values_supported"),
                               strict_check_header=False)
        try:
            try:
                decoded = jwt.decode(token["id_token"], key=self.keys(), registry=registry)
            except JoseError:  # a key rotated since: fetch the keys again, once
                decoded = jwt.decode(token["id_token"], key=self.keys(force=True), registry=registry)
            claims = CodeIDToken(decoded.claims, decoded.header,
                                 {"iss": {"essential": True, "values": [metadata["issuer"]]}},
                                 {"nonce": nonce, "client_id": self.config.client_id,
                                  "access_token": token.get("access_token")})
            claims.validate(leeway=LEEWAY)
        except (JoseError, ValueError) as exc:
            log.warning("ID token refused: %s", type(exc).__name__)
            raise Refused("the ID token did not verify") from None
        return dict(claims)

    def with_userinfo(self, claims, token, metadata):
        """Claims the ID token lacks (e-mail, groups at some providers) from the userinfo endpoint,
        only when it answers for the same `sub`."""
        endpoint = metadata.get("userinfo_endpoint")
        if not endpoint or not token.get("access_token"):
            return claims
        try:
            answer = requests.get(endpoint, timeout=TIMEOUT,
                                  headers={"Authorization": "Bearer %s" % token["access_token"]})
            info = answer.json() if answer.status_code == 200 else {}
        except (requests.RequestException, ValueError):
            info = {}
        if isinstance(info, dict) and info.get("sub") == claims["sub"]:
            claims = dict(info, **claims)
        return claims


def profile_of(claims, config):
    """What accounts.sign_in needs from the claims; an e-mail only when the token says verified."""
    verified = claims.get("email_verified") in (True, "true")  # some providers send a string
    email = claims.get("email") if verified else None
    groups = claims.get(config.groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    return {"provider": "oidc", "issuer": config.issuer, "subject": str(claims["sub"]),
            "email": email if isinstance(email, str) and "@" in email else None,
            "username": _username_hint(claims),
            "full_name": claims.get("name") if isinstance(claims.get("name"), str) else "",
            "groups": groups if isinstance(groups, list) else []}


def _username_hint(claims):
    """A name to derive a new user's username from (never used to link anyone)."""
    for key in ("preferred_username", "email", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value:
            return value.split("@")[0]
    return None
