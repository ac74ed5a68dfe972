"""The OpenAPI paths of teams and of /api/me/ (openapi_paths.REGISTERED lists them)."""
from server.store.models import TEAM_ROLES
from server.services.teams.profile import LOCALES
from server.handlers.openapi.schemas import BRIEF, INT, STR, answer, body, errors, nullable, obj, op, ref

ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}
ROLE = {"type": "string", "enum": list(TEAM_ROLES)}
COUNTRY = nullable({"type": "string", "maxLength": 8, "description": "ISO code of the country "
                    "whose public holidays the team's people have off (the holidays library's, e.g. "
                    "DE); null: the company's holiday_country"})
REGION = nullable({"type": "string", "maxLength": 64, "description": "A subdivision of the country "
                   "(e.g. BY); sent with country, or alone when the team has one"})
TEAM = obj({"id": INT, "name": STR, "description": STR, "country": COUNTRY, "region": REGION,
            "members": {"type": "array", "items": obj({"user": BRIEF, "role": ROLE}, ["user", "role"])}},
           ["id", "name", "description", "country", "region", "members"])
NAME = {"type": "string", "minLength": 1, "maxLength": 200}
DESCRIPTION = nullable({"type": "string", "maxLength": 10000})
PLACE_400 = ("; a country or region the holidays library does not know, or a region without a "
             "country: 400")
TEAM_PARAM = {"name": "team_id", "in": "path", "required": True, "schema": ID}
USER_PARAM = dict(TEAM_PARAM, name="user_id")
ME = obj({"id": INT, "username": STR, "full_name": STR, "role": STR, "email": nullable(STR),
          "locale": {"type": "string", "enum": list(LOCALES)}, "time_zone": STR,
          "teams": {"type": "array", "items": obj({"id": INT, "name": STR, "role": ROLE},
                                                  ["id", "name", "role"])}},
         ["id", "username", "full_name", "role", "email", "locale", "time_zone", "teams"])

PROJECT = obj({"id": INT, "name": STR, "description": STR, "archived": {"type": "boolean"}},
              ["id", "name", "description", "archived"])
LINK = obj({"url": STR, "expires_at": STR, "user": ref("User")}, ["url", "expires_at", "user"])

TEAM_PATHS = {
    "/api/admin/projects/{project_id}/": {
        "parameters": [dict(TEAM_PARAM, name="project_id")],
        "patch": op("Rename a project, change its description, archive or restore it (admin); an "
                    "archived project stays on its tasks and is not offered for new ones",
                    dict({"200": answer("Changed", PROJECT)}, **errors(400, 401, 403, 404, 409, 413, 415)),
                    body(obj({"name": NAME, "description": DESCRIPTION, "archived": {"type": "boolean"}})),
                    tag="admin")},
    "/api/admin/users/{user_id}/password-link/": {
        "parameters": [USER_PARAM],
        "post": op("A one-time link (valid 72 hours) to set the user's password; a new one voids "
                   "the older ones (admin; only an OWNER for ADMIN and OWNER users)",
                   dict({"201": answer("The link", LINK)}, **errors(401, 403, 404, 409, 413, 415)),
                   tag="admin")},
    "/api/admin/teams/": {
        "get": op("Every team with its members (admin)", dict(
            {"200": answer("Teams", obj({"teams": {"type": "array", "items": TEAM}}, ["teams"]))},
            **errors(401, 403)), tag="teams"),
        "post": op("Create a team (admin); names are unique whatever their case (409)" + PLACE_400,
                   dict({"201": answer("Created", TEAM)}, **errors(400, 401, 403, 409, 413, 415)),
                   body(obj({"name": NAME, "description": DESCRIPTION, "country": COUNTRY,
                             "region": REGION}, ["name"])), tag="teams")},
    "/api/admin/teams/{team_id}/": {
        "parameters": [TEAM_PARAM],
        "get": op("One team (admin)", dict({"200": answer("Team", TEAM)}, **errors(401, 403, 404)),
                  tag="teams"),
        "patch": op("Rename a team, change its description or the place of its public holidays "
                    "(admin); a country sent without region clears the region" + PLACE_400,
                    dict({"200": answer("Changed", TEAM)}, **errors(400, 401, 403, 404, 409, 413, 415)),
                    body(obj({"name": NAME, "description": DESCRIPTION, "country": COUNTRY,
                              "region": REGION})), tag="teams"),
        "delete": op("Delete a team and its memberships; the people keep their tasks (admin)",
                     dict({"204": answer("Deleted")}, **errors(401, 403, 404)), tag="teams")},
    "/api/admin/teams/{team_id}/members/{user_id}/": {
        "parameters": [TEAM_PARAM, USER_PARAM],
        "put": op("Add the user to the team, or change their role in it (admin)",
                  dict({"200": answer("The team", TEAM)}, **errors(400, 401, 403, 404, 413, 415)),
                  body(obj({"role": ROLE}, ["role"])), tag="teams"),
        "delete": op("Take the user out of the team (admin)",
                     dict({"200": answer("The team", TEAM)}, **errors(401, 403, 404)), tag="teams")},
    "/api/me/": {
        "get": op("The signed-in user, their teams, language and time zone",
                  dict({"200": answer("Me", ME)}, **errors(401)), tag="me"),
        "patch": op("Change your locale, time_zone (IANA) or email; null goes back to the default",
                    dict({"200": answer("Me", ME)}, **errors(400, 401, 413, 415)),
                    body(obj({"locale": nullable({"type": "string", "enum": list(LOCALES)}),
                              "time_zone": nullable({"type": "string", "maxLength": 64}),
                              "email": nullable({"type": "string", "maxLength": 254})})), tag="me")},
}
