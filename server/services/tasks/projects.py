"""Projects: the creation body, and the rule that two projects never share a name."""
from server.store.models import Project
from server.services.core import validate
from server.services.core.errors import Conflict


def parse_new_project(data):
    validate.require_object(data)
    validate.only_fields(data, ("name", "description"))
    return {"name": validate.text(data, "name", 200, min_len=1, required=True).strip(),
            "description": validate.text(data, "description", 10000)}


def create_project(fields):
    """Insert a project (on the writer); a taken name is a Conflict on `name`."""
    if Project.select().where(Project.name == fields["name"]).exists():
        raise Conflict("a project named %s exists" % fields["name"], "name")
    project = Project.create(**fields)
    return {"id": project.id, "name": project.name, "description": project.description}
