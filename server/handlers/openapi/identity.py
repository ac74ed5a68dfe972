"""The sign-in paths of the REST API (SPEC 11.2): the second factor, its reset, the SCIM token
(SCIM itself, at /scim/v2/, describes itself: ServiceProviderConfig, ResourceTypes, Schemas)."""
from server.handlers.openapi.schemas import STR, TASK_ID, answer, body, errors, obj, op, ref

CODES = {"type": "array", "items": STR, "minItems": 10, "maxItems": 10}

PASSKEY = obj({"id": TASK_ID, "name": STR, "created_at": STR,
               "last_used_at": {"type": "string", "nullable": True}},
              ["id", "name", "created_at", "last_used_at"])
WEBAUTHN = {"type": "object", "additionalProperties": True,
            "description": "As the browser's JSON form of WebAuthn (options, credential) has it"}

IDENTITY_PATHS = {
    "/api/auth/desktop/token/": {"post": op(
        "The desktop app's browser sign-in (RFC 8252): trade the one-time code its loopback "
        "listener received, with the PKCE verifier, for a bearer token",
        dict({"200": answer("Signed in", obj({"token": STR, "user": ref("User")},
                                             ["token", "user"]))}, **errors(400, 413, 415)),
        body(obj({"code": {"type": "string", "minLength": 1, "maxLength": 100},
                  "code_verifier": {"type": "string", "minLength": 43, "maxLength": 128},
                  "redirect_uri": {"type": "string", "minLength": 1, "maxLength": 200}},
                 ["code", "code_verifier", "redirect_uri"])), secure=False, tag="auth")},
    "/api/me/passkeys/": {
        "get": op("The caller's passkeys", dict(
            {"200": answer("Passkeys", obj({"passkeys": {"type": "array", "items": PASSKEY}},
                                           ["passkeys"]))}, **errors(401)), tag="auth"),
        "post": op("Register a passkey: the handle from /options/ and the browser's credential",
                   dict({"201": answer("Added", PASSKEY)}, **errors(400, 401, 413, 415)),
                   body(obj({"handle": {"type": "string", "minLength": 1, "maxLength": 64},
                             "name": {"type": "string", "maxLength": 100},
                             "credential": WEBAUTHN}, ["handle", "credential"])), tag="auth"),
    },
    "/api/me/passkeys/options/": {"post": op(
        "Start registering a passkey: WebAuthn creation options and a handle (5 minutes, once)",
        dict({"200": answer("Options", obj({"handle": STR, "options": WEBAUTHN},
                                           ["handle", "options"]))}, **errors(401, 413, 415)),
        tag="auth")},
    "/api/me/passkeys/{passkey_id}/": {"parameters": [dict(TASK_ID, name="passkey_id")],
                                       "delete": op("Remove one of the caller's passkeys", dict(
                                           {"204": answer("Removed")}, **errors(401, 404)),
                                           tag="auth")},
    "/api/me/2fa/totp/": {
        "post": op("Start TOTP enrolment: a new secret and its otpauth:// URI (not in force until "
                   "confirmed)", dict({"201": answer("Pending", obj(
                       {"secret": STR, "otpauth_uri": STR}, ["secret", "otpauth_uri"]))},
                       **errors(401, 409, 413, 415)), tag="auth"),
        "delete": op("Turn TOTP off (and forget the recovery codes)", dict(
            {"204": answer("Off")}, **errors(401, 404)), tag="auth"),
    },
    "/api/me/2fa/totp/confirm/": {"post": op(
        "Confirm TOTP with a first code; answers the 10 one-time recovery codes, shown once",
        dict({"200": answer("In force", obj({"recovery_codes": CODES}, ["recovery_codes"]))},
             **errors(400, 401, 404, 413, 415)),
        body(obj({"code": {"type": "string", "minLength": 1, "maxLength": 16}}, ["code"])),
        tag="auth")},
    "/api/admin/scim-token/": {"post": op(
        "An owner creates the SCIM bearer token; a new one replaces the old (shown once)",
        dict({"201": answer("Created", obj({"token": STR}, ["token"]))},
             **errors(401, 403, 413, 415)), tag="admin")},
    "/api/admin/users/{user_id}/2fa/": {"parameters": [dict(TASK_ID, name="user_id")], "delete": op(
        "An owner resets a user's second factor: TOTP, recovery codes and passkeys (recorded in "
        "the security log)", dict(
            {"204": answer("Reset")}, **errors(401, 403, 404)), tag="auth")},
}
