"""SCIM Users: list with `filter` and paging, create, get, replace, patch, delete. `active: false`
and DELETE disable the user at once: their tokens end and their push sockets close."""
import re

import pydantic
from scim2_models import Context, InvalidFilterException, SearchRequest, User

from server.services.identity.scim import discovery, users
from server.handlers.identity.scim.base import BASE, ScimHandler, page_args, parsed_filter

USER_NAME_EQ = re.compile(r'^\s*userName\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.I)


def search_request(handler):
    """(filter text, startIndex, count, the SearchRequest) of a POST …/.search body."""
    try:
        search = SearchRequest.model_validate(handler.body(), scim_ctx=Context.SEARCH_REQUEST)
    except pydantic.ValidationError as exc:
        raise InvalidFilterException(detail=exc.errors()[0]["msg"]) from None
    start = max(1, search.start_index or 1)
    count = min(discovery.MAX_RESULTS, max(0, discovery.MAX_RESULTS if search.count is None
                                           else search.count))
    return (str(search.filter) if search.filter else None), start, count, search


def found_users(base, text):
    """Every user the filter text (None: no filter) matches."""
    scim_filter = parsed_filter(text, User) if text else None
    return users.listing(base, scim_filter, USER_NAME_EQ.match(text or ""))


class UsersHandler(ScimHandler):
    def get(self):
        start, count = page_args(self)
        self.search(self.get_query_argument("filter", None), start, count, self.params())

    def search(self, text, start, count, params):
        self.listed(found_users(self.base, text), start, count, params)

    async def post(self):
        resource, ended, user_id = await self.svc.writer.submit(users.create, self.body(), self.base)
        self.ended(user_id, ended)
        self.set_header("Location", "%s/Users/%s" % (self.base, resource.id))
        self.reply(self.resource(resource, Context.RESOURCE_CREATION_RESPONSE), 201)

    def ended(self, user_id, ended):
        if ended:
            self.svc.credentials_changed(user_id=user_id, close=True)


class SearchHandler(UsersHandler):
    """POST /Users/.search: a SearchRequest body."""

    def post(self):
        self.search(*search_request(self))


class UserHandler(UsersHandler):
    def get(self, user_id):
        with_base = users.loaded(users.live_row(int(user_id)), self.base)
        self.reply(self.resource(with_base))

    async def put(self, user_id):
        resource, ended = await self.svc.writer.submit(users.replace, int(user_id), self.body(),
                                                       self.base)
        self.ended(int(user_id), ended)
        self.reply(self.resource(resource, Context.RESOURCE_REPLACEMENT_RESPONSE))

    async def patch(self, user_id):
        resource, ended = await self.svc.writer.submit(users.patch, int(user_id), self.body(),
                                                       self.base)
        self.ended(int(user_id), ended)
        self.reply(self.resource(resource, Context.RESOURCE_PATCH_RESPONSE))

    async def delete(self, user_id):
        await self.svc.writer.submit(users.delete, int(user_id))
        self.ended(int(user_id), True)
        self.set_status(204)
        self.finish()


routes = [
    (BASE + r"/Users/?", UsersHandler),
    (BASE + r"/Users/\.search", SearchHandler),
    (BASE + r"/Users/([0-9]{1,12})", UserHandler),
]
