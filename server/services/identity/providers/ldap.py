"""The company directory over LDAP (ldap3): find the user with the service account, check the
password by binding as them (it is never stored), read their groups. ldaps:// and StartTLS verify
the server's certificate; plain LDAP is allowed for a directory on a trusted network.

Blocking: call from a worker thread, never the event loop."""
import logging
import math
import ssl

import ldap3
from ldap3.core import exceptions as ldap_errors
from ldap3.utils.conv import escape_filter_chars

log = logging.getLogger("tracker.identity")
USER_ATTRIBUTES = ["uid", "sAMAccountName", "cn", "displayName", "mail", "entryUUID", "objectGUID",
                   "userAccountControl"]
AD_DISABLED = 0x2  # userAccountControl: ACCOUNTDISABLE


class DirectoryDown(Exception):
    """The directory did not answer (or TLS failed): a 503, never "wrong password"."""


class NotInDirectory(Exception):
    """No entry (or several) for this username: gone, or never there."""


class WrongPassword(Exception):
    """The bind as the user failed, or the directory says the account is disabled."""


class Directory:
    def __init__(self, settings):
        self.url = settings["ldap_url"].strip()
        self.starttls = settings["ldap_starttls"]
        self.bind_dn, self.bind_password = settings["ldap_bind_dn"], settings["ldap_bind_password"]
        self.user_base, self.user_filter = settings["ldap_user_base"], settings["ldap_user_filter"]
        self.group_base = settings["ldap_group_base"]
        self.timeout = max(1, math.ceil(settings["ldap_timeout_seconds"]))  # ldap3 packs whole seconds
        tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=settings["ldap_ca_file"] or None)
        self.server = ldap3.Server(self.url, use_ssl=self.url.lower().startswith("ldaps://"), tls=tls,
                                   connect_timeout=self.timeout, get_info=ldap3.NONE)

    def connect(self, user=None, password=None):
        """A bound connection, or None when the bind was refused; DirectoryDown if unreachable."""
        conn = ldap3.Connection(self.server, user=user, password=password,
                                receive_timeout=self.timeout, raise_exceptions=False)
        try:
            conn.open()
            if self.starttls and not conn.start_tls():
                raise DirectoryDown("StartTLS failed")
            if conn.bind():
                return conn
            conn.unbind()
            return None
        except (ldap_errors.LDAPException, OSError, ssl.SSLError) as exc:
            log.warning("directory %s unavailable: %s", self.url, type(exc).__name__)
            raise DirectoryDown(self.url) from None

    def authenticate(self, username, password):
        """The directory's profile of this user once their password binds; raises NotInDirectory,
        WrongPassword or DirectoryDown."""
        if not password:
            raise WrongPassword()  # an empty password is an unauthenticated bind: it "succeeds"
        service = self.connect(self.bind_dn or None, self.bind_password or None)
        if service is None:
            log.error("the directory refused the bind as ldap_bind_dn")
            raise DirectoryDown("service bind refused")
        try:
            entry = self.find(service, username)
            if int(first(entry, "userAccountControl") or 0) & AD_DISABLED:
                raise WrongPassword()
            as_user = self.connect(entry.entry_dn, password)
            if as_user is None:
                raise WrongPassword()
            as_user.unbind()
            return self.profile(entry, username, self.groups(service, entry.entry_dn, username))
        finally:
            service.unbind()

    def find(self, conn, username):
        query = self.user_filter.replace("{username}", escape_filter_chars(username))
        if not self.search(conn, self.user_base, query, USER_ATTRIBUTES) or len(conn.entries) != 1:
            raise NotInDirectory()
        return conn.entries[0]

    def search(self, conn, base, query, attributes):
        try:
            return conn.search(base, query, attributes=attributes, size_limit=1000)
        except (ldap_errors.LDAPException, OSError) as exc:
            log.warning("directory search failed: %s", type(exc).__name__)
            raise DirectoryDown(self.url) from None

    def groups(self, conn, dn, username):
        """The CNs of the groups that list this user (groupOfNames, groupOfUniqueNames, posixGroup)."""
        if not self.group_base:
            return []
        query = "(|(member=%s)(uniqueMember=%s)(memberUid=%s))" % (
            escape_filter_chars(dn), escape_filter_chars(dn), escape_filter_chars(username))
        self.search(conn, self.group_base, query, ["cn"])
        return [str(entry.cn.value) for entry in conn.entries if entry.cn.value]

    def profile(self, entry, username, groups):
        subject = first(entry, "entryUUID") or first(entry, "objectGUID") or entry.entry_dn
        name = first(entry, "uid") or first(entry, "sAMAccountName") or username
        return {"provider": "ldap", "issuer": self.url, "subject": str(subject).lower(),
                "username": str(name), "email": first(entry, "mail"),
                "full_name": str(first(entry, "displayName") or first(entry, "cn") or ""),
                "groups": groups}


def first(entry, attribute):
    """An attribute's (first) value, or None when the entry lacks it."""
    if attribute not in entry.entry_attributes:
        return None
    value = entry[attribute].value
    if isinstance(value, list):
        value = value[0] if value else None
    return value
