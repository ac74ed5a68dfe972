"""Migration 19's schema, frozen as SQL: sign-in the company already has (SPEC 11.2) — linked
identities, sign-in flows in progress, second factors, invitations, the SCIM token and the
security log that audits each of these changes."""
from server.store.schema.v1 import TYPES


SQL = [
    # Who a user is at an identity provider: (provider, issuer, subject) is unique.
    'CREATE TABLE IF NOT EXISTS "user_identity" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "provider" VARCHAR(16) NOT NULL, "issuer" VARCHAR(255) NOT NULL, '
    '"subject" VARCHAR(255) NOT NULL, "created_at" {ts} NOT NULL, "last_seen_at" {ts} NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "user_identity_provider_issuer_subject" '
    'ON "user_identity" ("provider", "issuer", "subject")',
    'CREATE INDEX IF NOT EXISTS "user_identity_user_id" ON "user_identity" ("user_id")',
    # A browser's sign-in at a provider, between leaving and coming back (state as a digest).
    'CREATE TABLE IF NOT EXISTS "signin_flow" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"state_hash" VARCHAR(64) NOT NULL, "nonce" VARCHAR(128) NOT NULL, '
    '"code_verifier" VARCHAR(128) NOT NULL, "next_url" VARCHAR(2000) NOT NULL, '
    '"created_at" {ts} NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "signin_flow_state_hash" ON "signin_flow" ("state_hash")',
    # TOTP (RFC 6238): confirmed once a first code matched; last_step stops a code's replay.
    'CREATE TABLE IF NOT EXISTS "user_totp" ("user_id" INTEGER NOT NULL PRIMARY KEY, '
    '"secret" VARCHAR(64) NOT NULL, "confirmed_at" {ts}, "last_step" INTEGER NOT NULL, '
    '"created_at" {ts} NOT NULL, FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE TABLE IF NOT EXISTS "recovery_code" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "code_hash" VARCHAR(64) NOT NULL, "used_at" {ts}, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "recovery_code_user_id" ON "recovery_code" ("user_id")',
    'CREATE TABLE IF NOT EXISTS "passkey" ("id" {pk} NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, '
    '"credential_id" VARCHAR(512) NOT NULL, "public_key" TEXT NOT NULL, "sign_count" INTEGER NOT NULL, '
    '"name" VARCHAR(100) NOT NULL, "created_at" {ts} NOT NULL, "last_used_at" {ts}, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "passkey_credential_id" ON "passkey" ("credential_id")',
    'CREATE INDEX IF NOT EXISTS "passkey_user_id" ON "passkey" ("user_id")',
    # A WebAuthn ceremony in progress: its challenge, found by a handle's digest, used once.
    'CREATE TABLE IF NOT EXISTS "webauthn_challenge" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"handle_hash" VARCHAR(64) NOT NULL, "challenge" VARCHAR(128) NOT NULL, "user_id" INTEGER, '
    '"purpose" VARCHAR(16) NOT NULL, "created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "webauthn_challenge_handle_hash" '
    'ON "webauthn_challenge" ("handle_hash")',
    # One-time links: set-password invitations (72 h) and the desktop's browser sign-in codes.
    'CREATE TABLE IF NOT EXISTS "invitation" ("id" {pk} NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, '
    '"token_hash" VARCHAR(64) NOT NULL, "expires_at" {ts} NOT NULL, "used_at" {ts}, '
    '"created_at" {ts} NOT NULL, FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "invitation_token_hash" ON "invitation" ("token_hash")',
    'CREATE TABLE IF NOT EXISTS "desktop_grant" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "code_hash" VARCHAR(64) NOT NULL, "redirect_uri" VARCHAR(200) NOT NULL, '
    '"code_challenge" VARCHAR(128) NOT NULL, "expires_at" {ts} NOT NULL, "used_at" {ts}, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "desktop_grant_code_hash" ON "desktop_grant" ("code_hash")',
    # The SCIM bearer token (one live row; a new one replaces the old).
    'CREATE TABLE IF NOT EXISTS "scim_token" ("id" {pk} NOT NULL PRIMARY KEY, '
    '"token_hash" VARCHAR(64) NOT NULL, "created_by_id" INTEGER, "created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("created_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)',
    # Users as the company's SCIM client provisions them: its userName (unique while not deleted),
    # externalId and the rest of the resource as it sent it (JSON, the password never kept).
    'CREATE TABLE IF NOT EXISTS "scim_user" ("user_id" INTEGER NOT NULL PRIMARY KEY, '
    '"user_name" VARCHAR(255) NOT NULL, "external_id" VARCHAR(255), "resource" TEXT NOT NULL, '
    '"deleted" {bool} NOT NULL, "version" INTEGER NOT NULL, "created_at" {ts} NOT NULL, '
    '"updated_at" {ts} NOT NULL, FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "scim_user_user_name" ON "scim_user" ("user_name")',
    # Who changed whose sign-in, when and how: created by SSO, linked, role from groups, second
    # factor enrolled or reset, SCIM token rotated, invitation sent or used.
    'CREATE TABLE IF NOT EXISTS "security_log" ("id" {pk} NOT NULL PRIMARY KEY, "user_id" INTEGER, '
    '"actor_id" INTEGER, "action" VARCHAR(32) NOT NULL, "detail" TEXT NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("actor_id") REFERENCES "user" ("id") ON DELETE SET NULL)',
    'CREATE INDEX IF NOT EXISTS "security_log_user_id_id" ON "security_log" ("user_id", "id")',
]


def statements(dialect):
    return [sql.format(**TYPES[dialect]) for sql in SQL]
