"""Dependency links (admin): link a task to a predecessor, unlink it, list a task's neighbours."""
from server.store.database import read_transaction
from server.services.tasks import links as dependencies, tasks
from server.handlers.base import ApiHandler, path_id

ID = r"([0-9]{1,12})"


class DependenciesHandler(ApiHandler):
    access = "admin"

    def get(self, task_id):
        with read_transaction():
            tasks.load(path_id(task_id))  # 404 for an unknown task
            self.reply(dict({"task_id": int(task_id)}, **dependencies.neighbours(path_id(task_id))))

    async def post(self, task_id):
        depends_on = dependencies.parse_link(self.json_body())
        body = await self.write_op(dependencies.link, self.current_user, path_id(task_id),
                                   depends_on)
        self.reply(body, status=201)


class DependencyHandler(ApiHandler):
    access = "admin"

    async def delete(self, task_id, depends_on):
        await self.write_op(dependencies.unlink, self.current_user, path_id(task_id),
                            path_id(depends_on))
        self.set_status(204)
        self.finish()


routes = [
    (r"/api/admin/tasks/%s/dependencies/" % ID, DependenciesHandler),
    (r"/api/admin/tasks/%s/dependencies/%s/" % (ID, ID), DependencyHandler),
]
