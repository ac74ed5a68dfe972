"""SCIM Groups (= teams): list with `filter` and paging, create, get, replace, patch, delete.
Each write runs on the writer through the team service: logged and pushed as by hand."""
import re

from scim2_models import Context, Group

from server.store.database import read_transaction
from server.services.identity.scim import group_writes, groups
from server.handlers.identity.scim.base import BASE, ScimHandler, page_args, parsed_filter
from server.handlers.identity.scim.users import found_users, search_request

DISPLAY_NAME_EQ = re.compile(r'^\s*displayName\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.I)


def found_groups(base, text):
    """Every team the filter text (None: no filter) matches, as groups (one consistent read)."""
    scim_filter = parsed_filter(text, Group) if text else None
    with read_transaction():
        return groups.listing(base, scim_filter, DISPLAY_NAME_EQ.match(text or ""))


class GroupsHandler(ScimHandler):
    model = Group

    def get(self):
        start, count = page_args(self)
        self.search(self.get_query_argument("filter", None), start, count, self.params())

    def search(self, text, start, count, params):
        self.listed(found_groups(self.base, text), start, count, params)

    async def post(self):
        resource = await self.svc.writer.submit(group_writes.create, self.body(), self.base)
        self.set_header("Location", resource.meta.location)
        self.reply(self.resource(resource, Context.RESOURCE_CREATION_RESPONSE), 201)


class GroupSearchHandler(GroupsHandler):
    """POST /Groups/.search: a SearchRequest body."""

    def post(self):
        self.search(*search_request(self))


class GroupHandler(GroupsHandler):
    def get(self, team_id):
        with read_transaction():
            found = groups.loaded(int(team_id), self.base)
        self.reply(self.resource(found))

    async def put(self, team_id):
        resource = await self.svc.writer.submit(group_writes.replace, int(team_id), self.body(),
                                                self.base)
        self.reply(self.resource(resource, Context.RESOURCE_REPLACEMENT_RESPONSE))

    async def patch(self, team_id):
        resource = await self.svc.writer.submit(group_writes.patch, int(team_id), self.body(),
                                                self.base)
        self.reply(self.resource(resource, Context.RESOURCE_PATCH_RESPONSE))

    async def delete(self, team_id):
        await self.svc.writer.submit(group_writes.delete, int(team_id))
        self.set_status(204)
        self.finish()


class RootSearchHandler(ScimHandler):
    """POST /.search: Users and Groups at once (RFC 7644 §3.4.3), the users first."""

    def post(self):
        text, start, count, search = search_request(self)
        self.listed(found_users(self.base, text) + found_groups(self.base, text), start, count,
                    search)


routes = [
    (BASE + r"/Groups/?", GroupsHandler),
    (BASE + r"/Groups/\.search", GroupSearchHandler),
    (BASE + r"/Groups/([0-9]{1,12})", GroupHandler),
    (BASE + r"/\.search", RootSearchHandler),
]
