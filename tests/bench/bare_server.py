"""The baseline: a bare Tornado app answering small JSON, no database, no auth."""
import asyncio
import json
import sys

import tornado.web


class Progress(tornado.web.RequestHandler):
    def post(self, task_id):
        body = json.loads(self.request.body)
        self.write({"status": "success", "task_id": int(task_id),
                    "new_progress": body["progress_percentage"]})


class Tasks(tornado.web.RequestHandler):
    def get(self):
        self.set_header("ETag", '"fixed"')
        if self.request.headers.get("If-None-Match") == '"fixed"':
            self.set_status(304)
            return
        self.write({"tasks": [], "cursor": 0})


async def main(port):
    app = tornado.web.Application([(r"/api/task/([0-9]+)/progress/", Progress),
                                   (r"/api/employee-tasks/", Tasks)])
    app.listen(port, "127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
