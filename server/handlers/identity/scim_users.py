"""SCIM Users: list with `filter` and paging, create, get, replace, patch, delete. `active: false`
and DELETE disable the user at once: their tokens end and their push sockets close."""
import pydantic
import tornado.web
from scim2_models import Context, InvalidFilterException, ScimFilter, SearchRequest, User

from server.services.identity.scim import discovery, users
from server.handlers.identity.scim import BASE, USER_NAME_EQ, ScimHandler


def page_args(handler):
    """(startIndex from 1, count at most MAX_RESULTS) from the query."""
    try:
        start = max(1, int(handler.get_query_argument("startIndex", "1")))
        count = min(discovery.MAX_RESULTS, max(0, int(handler.get_query_argument(
            "count", str(discovery.MAX_RESULTS)))))
    except ValueError:
        raise tornado.web.HTTPError(400, "startIndex and count must be numbers") from None
    return start, count


def parsed_filter(text):
    try:
        return ScimFilter[User](text)
    except Exception as exc:  # the parser's own errors: every one means a bad filter
        raise InvalidFilterException(detail="the filter does not parse: %s" % exc) from None


class UsersHandler(ScimHandler):
    def get(self):
        start, count = page_args(self)
        self.search(self.get_query_argument("filter", None), start, count, self.params())

    def search(self, text, start, count, params):
        scim_filter = parsed_filter(text) if text else None
        found = users.listing(self.base, scim_filter, USER_NAME_EQ.match(text or ""))
        chosen = found[start - 1:start - 1 + count]
        resources = [r.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=params)
                     for r in chosen]
        self.reply({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                    "totalResults": len(found), "startIndex": start, "itemsPerPage": len(chosen),
                    "Resources": resources})

    async def post(self):
        resource, ended, user_id = await self.svc.writer.submit(users.create, self.body(), self.base)
        self.ended(user_id, ended)
        self.set_header("Location", "%s/Users/%s" % (self.base, resource.id))
        self.reply(self.resource(resource, Context.RESOURCE_CREATION_RESPONSE), 201)

    def ended(self, user_id, ended):
        if ended:
            self.svc.credentials_changed(user_id=user_id, close=True)


class SearchHandler(UsersHandler):
    """POST /Users/.search (and /.search: Users are the only resources): a SearchRequest body."""

    def post(self):
        try:
            search = SearchRequest.model_validate(self.body(), scim_ctx=Context.SEARCH_REQUEST)
        except pydantic.ValidationError as exc:
            raise InvalidFilterException(detail=exc.errors()[0]["msg"]) from None
        start = max(1, search.start_index or 1)
        count = min(discovery.MAX_RESULTS, max(0, discovery.MAX_RESULTS if search.count is None
                                               else search.count))
        text = str(search.filter) if search.filter else None
        self.search(text, start, count, search)


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


class NoSuchHandler(ScimHandler):
    def prepare(self):
        super().prepare()
        raise tornado.web.HTTPError(404, "no such SCIM endpoint: %s" % self.request.path)


routes = [
    (BASE + r"/Users/?", UsersHandler),
    (BASE + r"/(?:Users/)?\.search", SearchHandler),
    (BASE + r"/Users/([0-9]{1,12})", UserHandler),
    (BASE + r"/.*", NoSuchHandler),
]
