"""The person's own privacy endpoints (SPEC 11.3): their data and its export, the presence level
that applies, pause and resume; and the owner's erasure through the API."""
from server.store.database import read_transaction
from server.services.people import users
from server.services.core import validate
from server.services.core.errors import Forbidden
from server.services.privacy import export, mydata, pause
from server.handlers.base import ApiHandler, path_id
from server.handlers.pages.people.privacy import check_confirmation, erase_and_compact
from server.services.language.text import _l


class MyPrivacyHandler(ApiHandler):
    """GET: what is recorded about me here, and how long it is kept."""

    def get(self):
        settings = self.svc.settings
        with read_transaction():
            body = mydata.profile(self.current_user, settings)
        body["retention_days"] = {"presence": self.svc.retention.presence_days,
                                  "time_entries": self.svc.retention.time_entries_days,
                                  "comments": self.svc.retention.comments_days}
        self.reply(body)


class MyDataHandler(ApiHandler):
    def get(self):
        with read_transaction():
            self.reply(mydata.everything(self.current_user, self.svc.settings))


class MyExportHandler(ApiHandler):
    def get(self):
        with read_transaction():
            name, body = export.archive(self.current_user, self.svc.settings)
        self.set_header("Content-Type", "application/zip")
        self.set_header("Content-Disposition", 'attachment; filename="%s"' % name)
        self.finish(body)


class PauseHandler(ApiHandler):
    action = staticmethod(pause.pause)

    async def post(self):
        self.json_body(optional=True)
        settings = self.svc.settings
        answer = await self.write_op(self.action, self.current_user, settings["allow_pause"], None,
                                     settings["presence_detail"] != "off")
        self.reply(answer)


class ResumeHandler(PauseHandler):
    action = staticmethod(pause.resume)


class EraseHandler(ApiHandler):
    """POST {"confirm": "<their username>"}: an owner erases a person."""
    access = "admin"

    async def post(self, user_id):
        if self.current_user.role != "OWNER":
            raise Forbidden(_l("only an owner may erase a person"))
        data = self.json_body()
        validate.require_object(data)
        validate.only_fields(data, ("confirm",))
        with read_transaction():
            target = users.get_user(path_id(user_id))
        check_confirmation(target, data.get("confirm"))
        redacted = await erase_and_compact(self.svc, target.id)
        self.reply({"status": "erased", "user_id": target.id,
                    "username": "erased-%d" % target.id, "redacted_rows": redacted})


routes = [
    (r"/api/me/privacy/", MyPrivacyHandler),
    (r"/api/me/data/", MyDataHandler),
    (r"/api/me/export", MyExportHandler),
    (r"/api/me/pause/", PauseHandler),
    (r"/api/me/resume/", ResumeHandler),
    (r"/api/admin/users/([0-9]{1,12})/erase/", EraseHandler),
]
