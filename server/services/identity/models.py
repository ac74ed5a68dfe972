"""The peewee models of migration 19's and 20's tables (server/store/schema/v19.py and v20.py hold
their frozen SQL)."""
import peewee as pw

from server.store.models import BaseModel, Team, TeamMember, User
from server.store.times import utcnow


class UserIdentity(BaseModel):
    """A user as an identity provider knows them: OIDC (issuer, sub) or LDAP (server, DN)."""
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    provider = pw.CharField(max_length=16)  # oidc, ldap, scim
    issuer = pw.CharField(max_length=255)
    subject = pw.CharField(max_length=255)
    created_at = pw.DateTimeField(default=utcnow)
    last_seen_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "user_identity"


class SigninFlow(BaseModel):
    """A browser on its way to the provider and back; found by its state's digest, used once."""
    state_hash = pw.CharField(max_length=64, unique=True)
    nonce = pw.CharField(max_length=128)
    code_verifier = pw.CharField(max_length=128)
    next_url = pw.CharField(max_length=2000)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "signin_flow"


class UserTotp(BaseModel):
    user = pw.ForeignKeyField(User, primary_key=True, backref="+", on_delete="CASCADE")
    secret = pw.CharField(max_length=64)
    confirmed_at = pw.DateTimeField(null=True)
    last_step = pw.IntegerField(default=0)
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "user_totp"


class RecoveryCode(BaseModel):
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    code_hash = pw.CharField(max_length=64)
    used_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "recovery_code"


class Passkey(BaseModel):
    """A WebAuthn credential: its id and COSE public key (base64url), the authenticator's counter."""
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    credential_id = pw.CharField(max_length=512, unique=True)
    public_key = pw.TextField()
    sign_count = pw.IntegerField(default=0)
    name = pw.CharField(max_length=100)
    created_at = pw.DateTimeField(default=utcnow)
    last_used_at = pw.DateTimeField(null=True)


class WebauthnChallenge(BaseModel):
    handle_hash = pw.CharField(max_length=64, unique=True)
    challenge = pw.CharField(max_length=128)
    user = pw.ForeignKeyField(User, null=True, backref="+", on_delete="CASCADE")
    purpose = pw.CharField(max_length=16)  # register, signin
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "webauthn_challenge"


class Invitation(BaseModel):
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    token_hash = pw.CharField(max_length=64, unique=True)
    expires_at = pw.DateTimeField()
    used_at = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField(default=utcnow)


class DesktopGrant(BaseModel):
    """A one-time code the browser hands the desktop app's loopback listener (RFC 8252)."""
    user = pw.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    code_hash = pw.CharField(max_length=64, unique=True)
    redirect_uri = pw.CharField(max_length=200)
    code_challenge = pw.CharField(max_length=128)
    expires_at = pw.DateTimeField()
    used_at = pw.DateTimeField(null=True)

    class Meta:
        table_name = "desktop_grant"


class ScimToken(BaseModel):
    token_hash = pw.CharField(max_length=64)
    created_by = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "scim_token"


class ScimUser(BaseModel):
    """A user as the SCIM client provisions them; `user_name` is stored folded to lower case."""
    user = pw.ForeignKeyField(User, primary_key=True, backref="+", on_delete="CASCADE")
    user_name = pw.CharField(max_length=255)
    external_id = pw.CharField(max_length=255, null=True)
    resource = pw.TextField()
    deleted = pw.BooleanField(default=False)
    version = pw.IntegerField(default=1)
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "scim_user"


class ScimGroup(BaseModel):
    """The externalId the SCIM client gave a team (the group is the team; a row only with one)."""
    team = pw.ForeignKeyField(Team, primary_key=True, backref="+", on_delete="CASCADE")
    external_id = pw.CharField(max_length=255)

    class Meta:
        table_name = "scim_group"


class ScimMember(BaseModel):
    """A membership's `display` as the SCIM client sent it; it goes with the membership."""
    membership = pw.ForeignKeyField(TeamMember, primary_key=True, column_name="team_member_id",
                                    backref="+", on_delete="CASCADE")
    display = pw.CharField(max_length=255)

    class Meta:
        table_name = "scim_member"


class SecurityLog(BaseModel):
    """The audit of sign-in changes, written in the same transaction as the change."""
    user = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    actor = pw.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    action = pw.CharField(max_length=32)
    detail = pw.TextField(default="")
    created_at = pw.DateTimeField(default=utcnow)

    class Meta:
        table_name = "security_log"


def record(action, user=None, actor=None, detail=""):
    """One security-log row; call inside the change's transaction."""
    SecurityLog.create(action=action, user=user, actor=actor, detail=detail[:2000])


PERSONAL = (UserIdentity, UserTotp, RecoveryCode, Passkey, WebauthnChallenge, Invitation, DesktopGrant,
            ScimUser)


def forget(user_id):
    """Erasure (services/privacy/erasure.py): the person's links to directories, second factors,
    passkeys, invitations and grants go, and the displays a SCIM client sent with their
    memberships; the security log keeps its rows, names scrubbed there."""
    for model in PERSONAL:
        model.delete().where(model.user == user_id).execute()
    ScimMember.delete().where(ScimMember.membership.in_(
        TeamMember.select(TeamMember.id).where(TeamMember.user == user_id))).execute()
