"""Dependency links (admin): link a task to a predecessor, unlink it, list a task's neighbours."""
from server.store.database import read_transaction
from server.services.tasks import links as dependencies, tasks
from server.handlers.base import ApiHandler, path_id
from server.services.teams import guard, reads

ID = r"([0-9]{1,12})"


class DependenciesHandler(ApiHandler):
    access = "staff"  # leads and viewers: their teams' tasks (services/teams/guard.py)

    def get(self, task_id):
        with read_transaction():
            tasks.task_in_scope(self.scope, path_id(task_id))  # 404: unknown or outside
            links = reads.neighbours(self.scope, dependencies.neighbours(path_id(task_id)))
            self.reply(dict({"task_id": int(task_id)}, **links))

    async def post(self, task_id):
        depends_on = dependencies.parse_link(self.json_body())
        body = await self.write_op(guard.link, self.current_user, path_id(task_id),
                                   depends_on)
        self.reply(body, status=201)


class DependencyHandler(ApiHandler):
    access = "staff"

    async def delete(self, task_id, depends_on):
        await self.write_op(guard.unlink, self.current_user, path_id(task_id),
                            path_id(depends_on))
        self.set_status(204)
        self.finish()


routes = [
    (r"/api/admin/tasks/%s/dependencies/" % ID, DependenciesHandler),
    (r"/api/admin/tasks/%s/dependencies/%s/" % (ID, ID), DependencyHandler),
]
