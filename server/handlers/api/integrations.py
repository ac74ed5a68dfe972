"""Admin API of webhook endpoints and their delivery log; the calendar feed URL and the feed."""
from server.store.database import read_transaction
from server.services.outbound import calendar, webhooks
from server.services.core.errors import ValidationError
from server.services.core.validate import query_id
from server.handlers.base import ApiHandler, path_id
from server.services.language.text import _l

ID = r"([0-9]{1,12})"


class WebhookApi(ApiHandler):
    access = "admin"

    async def checked(self, fields):
        if "host" in fields:
            await webhooks.check_target(fields.pop("host"), self.svc.settings["webhook_allow_private"])
        return fields


class WebhooksHandler(WebhookApi):
    def get(self):
        self.reply({"webhooks": webhooks.all_endpoints()})

    async def post(self):
        fields = await self.checked(webhooks.parse_endpoint(self.json_body()))
        body = await self.write_op(webhooks.create, fields)
        self.set_header("Location", "/api/admin/webhooks/%d/" % body["id"])
        self.reply(body, status=201)


class WebhookHandler(WebhookApi):
    def get(self, hook_id):
        hook = webhooks.get(path_id(hook_id))
        self.reply(webhooks.endpoint_dict(hook, webhooks.pending_counts().get(hook.id, 0)))

    async def patch(self, hook_id):
        fields = await self.checked(webhooks.parse_endpoint(self.json_body(), partial=True))
        body = await self.write_op(webhooks.edit, path_id(hook_id), fields)
        self.reply(body)
        if body["enabled"]:
            self.svc.deliveries.wake()

    async def delete(self, hook_id):
        await self.write_op(webhooks.delete, path_id(hook_id))
        self.set_status(204)
        self.finish()


class RotateSecretHandler(WebhookApi):
    async def post(self, hook_id):
        self.reply(await self.write_op(webhooks.rotate_secret, path_id(hook_id)))


class DeliveriesHandler(WebhookApi):
    def get(self, hook_id):
        before = query_id({"before": self.get_query_argument("before", None)}, "before")
        with read_transaction():
            self.reply({"deliveries": webhooks.deliveries(path_id(hook_id), before)})


class RedeliverHandler(WebhookApi):
    async def post(self, hook_id, delivery_id):
        body = await self.write_op(webhooks.redeliver, path_id(hook_id), path_id(delivery_id))
        self.reply(body, status=202)
        self.svc.deliveries.wake()


class CalendarApi(ApiHandler):
    def feed_url(self, token):
        return "%s/calendar/%s.ics" % (self.svc.public_url, token)


class MyCalendarHandler(CalendarApi):
    async def get(self):
        token = await self.write_op(calendar.token_for, self.current_user.id,
                                    self.svc.settings["calendar_key"])
        self.reply({"url": self.feed_url(token)})


class RotateCalendarHandler(CalendarApi):
    async def post(self):
        token = await self.write_op(calendar.rotate, self.current_user.id,
                                    self.svc.settings["calendar_key"])
        self.reply({"url": self.feed_url(token)})


class FeedHandler(ApiHandler):
    """The feed itself: the token in the path is the only credential (calendar apps send no
    headers); a wrong or rotated token is a 404 like any missing page. ETag and 304 come from
    Tornado's own check of the body's hash."""
    access = None
    default_headers = ApiHandler.default_headers[:-1] + (("Cache-Control", "private, no-cache"),)

    def get(self, token):
        only = self.get_query_argument("only", None)
        if only is not None and only not in calendar.KINDS:
            raise ValidationError(_l("only must be one of %(choices)s",
                                     choices=', '.join(calendar.KINDS)), "only")
        with read_transaction():
            settings = self.svc.settings
            body = calendar.feed(token, self.svc.public_url, kinds=(only,) if only else calendar.KINDS,
                                 defaults=(settings["default_locale"], settings["default_time_zone"]))
        self.set_header("Content-Type", "text/calendar; charset=utf-8")
        self.finish(body)


routes = [
    (r"/api/admin/webhooks/", WebhooksHandler),
    (r"/api/admin/webhooks/%s/" % ID, WebhookHandler),
    (r"/api/admin/webhooks/%s/rotate-secret/" % ID, RotateSecretHandler),
    (r"/api/admin/webhooks/%s/deliveries/" % ID, DeliveriesHandler),
    (r"/api/admin/webhooks/%s/deliveries/%s/redeliver/" % (ID, ID), RedeliverHandler),
    (r"/api/me/calendar/", MyCalendarHandler),
    (r"/api/me/calendar/rotate/", RotateCalendarHandler),
    (r"/calendar/([A-Za-z0-9_-]{1,100})\.ics", FeedHandler),
]
