"""Comments: a task's thread, a new comment (idempotent), the author's edit, deletion, revisions."""
from server.services.comments import comments
from server.services.comments.view import parse_edit, parse_new
from server.handlers.base import ApiHandler, path_id


class ThreadHandler(ApiHandler):
    def get(self, task_id):
        self.reply(comments.list_for(self.current_user, path_id(task_id)))

    async def post(self, task_id):
        fields = self.idempotent(parse_new(self.json_body()), "client_comment_id")
        self.reply_once(await self.write_op(comments.create, self.current_user, path_id(task_id),
                                            fields), 201)


class CommentHandler(ApiHandler):
    async def patch(self, comment_id):
        body = parse_edit(self.json_body())
        self.reply(await self.write_op(comments.edit, self.current_user, path_id(comment_id), body))

    async def delete(self, comment_id):
        self.reply(await self.write_op(comments.delete, self.current_user, path_id(comment_id)))


class RevisionsHandler(ApiHandler):
    access = "staff"  # a lead or viewer: on their teams' tasks (services/comments.py _find)

    def get(self, comment_id):
        self.reply(comments.revisions(self.current_user, path_id(comment_id)))


routes = [
    (r"/api/task/([0-9]{1,12})/comments/", ThreadHandler),
    (r"/api/comments/([0-9]{1,12})/", CommentHandler),
    (r"/api/comments/([0-9]{1,12})/revisions/", RevisionsHandler),
]
