"""The integrations page under the dashboard: webhook endpoints, their delivery log, the feed URL."""
import tornado.web

from server.store.database import read_transaction
from server.services.outbound import calendar, webhooks
from server.services.record import eventlog
from server.services.core.errors import ServiceError
from server.handlers.base import path_id
from server.handlers.pages.page import Page

HOME = "/dashboard/webhooks/"
ACTIONS = ("rotate", "enable", "disable", "delete", "redeliver")


class WebhookPage(Page):
    nav = "webhooks"

    async def calendar_url(self, rotate=False):
        step = calendar.rotate if rotate else calendar.token_for
        token = await self.svc.writer.submit(step, self.current_user.id,
                                             self.svc.settings["calendar_key"])
        return "%s/calendar/%s.ics" % (self.svc.public_url, token)


class WebhooksPage(WebhookPage):
    async def get(self):
        await self.show({}, {}, rotated=self.get_query_argument("rotated", None) == "1")

    async def show(self, values, errors, created=None, rotated=False):
        with read_transaction():
            hooks = webhooks.all_endpoints()
            cursor = eventlog.latest_id()  # the page hears what happens after it was read
        self.render("webhooks.html", hooks=hooks, cursor=cursor, values=values, errors=errors, created=created,
                    feed_url=await self.calendar_url(), rotated=rotated,
                    event_types=webhooks.EVENT_TYPES)

    async def post(self):
        if self.form("action") == "rotate-calendar":
            await self.calendar_url(rotate=True)
            return self.redirect(HOME + "?rotated=1")
        events = self.get_body_arguments("events") or ["*"]
        data = {"url": self.form("url"), "events": ["*"] if "*" in events else events,
                "format": self.form("format", "standard"), "description": self.form("description")}
        try:
            fields = webhooks.parse_endpoint(data)
            await webhooks.check_target(fields.pop("host"), self.svc.settings["webhook_allow_private"])
            created = await self.svc.writer.submit(webhooks.create, fields)
        except ServiceError as exc:
            self.set_status(400)
            return await self.show(data, {exc.field or "form": exc.message})
        await self.show({}, {}, created=created)  # the secret, this once


class WebhookDetailPage(WebhookPage):
    def get(self, hook_id):
        with read_transaction():
            hook = webhooks.get(path_id(hook_id))
            body = webhooks.endpoint_dict(hook, webhooks.pending_counts().get(hook.id, 0))
            log = webhooks.deliveries(hook.id)
        self.render("webhook.html", hook=body, log=log, secret=None,
                    notice=self.get_query_argument("done", None))

    async def post(self, hook_id):
        hook_id, action = path_id(hook_id), self.form("action")
        if action not in ACTIONS:
            raise tornado.web.HTTPError(400, "unknown action")
        write = self.svc.writer.submit
        if action == "delete":
            await write(webhooks.delete, hook_id)
            return self.redirect(HOME)
        if action == "rotate":
            rotated = await write(webhooks.rotate_secret, hook_id)
            with read_transaction():
                log = webhooks.deliveries(hook_id)
            return self.render("webhook.html", hook=rotated, log=log, secret=rotated["secret"],
                               notice=None)
        if action == "redeliver":
            delivery = self.form("delivery")
            if not (delivery.isascii() and delivery.isdigit()):
                raise tornado.web.HTTPError(400, "which delivery?")
            await write(webhooks.redeliver, hook_id, path_id(delivery))
        else:
            await write(webhooks.edit, hook_id, {"enabled": action == "enable"})
        self.svc.deliveries.wake()
        self.redirect("%s%d/?done=%s" % (HOME, hook_id, action))


routes = [
    (r"/dashboard/webhooks/", WebhooksPage),
    (r"/dashboard/webhooks/([0-9]{1,12})/", WebhookDetailPage),
]
