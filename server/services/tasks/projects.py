"""Projects: creation, renaming and archiving, and the rule that two projects never share a name."""
from server.store.models import Project
from server.store.times import utcnow
from server.services.core import validate
from server.services.core.errors import Conflict, NotFound, ValidationError
from server.services.language.text import _l


def parse_new_project(data):
    validate.require_object(data)
    validate.only_fields(data, ("name", "description"))
    return {"name": validate.text(data, "name", 200, min_len=1, required=True).strip(),
            "description": validate.text(data, "description", 10000)}


def create_project(fields):
    """Insert a project (on the writer); a taken name is a Conflict on `name`."""
    if Project.select().where(Project.name == fields["name"]).exists():
        raise Conflict(_l("a project named %(name)s exists", name=fields['name']), "name")
    project = Project.create(**fields)
    return {"id": project.id, "name": project.name, "description": project.description}


def project_dict(project):
    return {"id": project.id, "name": project.name, "description": project.description,
            "archived": project.archived_at is not None}


def parse_project_edit(data):
    """PATCH /api/admin/projects/<id>/: name, description, archived (true / false)."""
    validate.require_object(data)
    validate.only_fields(data, ("name", "description", "archived"))
    if not data:
        raise ValidationError(_l("nothing to change: send name, description or archived"))
    fields = {}
    if "name" in data:
        fields["name"] = validate.text(data, "name", 200, min_len=1, required=True).strip()
    if "description" in data:
        fields["description"] = validate.text(data, "description", 10000)
    if "archived" in data:
        if not isinstance(data["archived"], bool):
            raise ValidationError(_l("archived must be true or false"), "archived")
        fields["archived"] = data["archived"]
    return fields


def edit_project(project_id, fields):
    """Rename, describe, archive or restore a project (on the writer). An archived project stays
    on its tasks and in the statistics; it is no longer offered for new tasks."""
    project = Project.get_or_none(Project.id == project_id)
    if project is None:
        raise NotFound(_l("project %(project_id)s does not exist", project_id=project_id))
    if "name" in fields and fields["name"] != project.name:
        if Project.select().where(Project.name == fields["name"], Project.id != project.id).exists():
            raise Conflict(_l("a project named %(name)s exists", name=fields['name']), "name")
        project.name = fields["name"]
    project.description = fields.get("description", project.description)
    if "archived" in fields and fields["archived"] != (project.archived_at is not None):
        project.archived_at = utcnow() if fields["archived"] else None
    project.save()
    return project_dict(project)


def check_open(project_id):
    """A new task's project must not be archived."""
    if project_id is not None and Project.select().where(
            Project.id == project_id, Project.archived_at.is_null(False)).exists():
        raise ValidationError(_l("project %(project_id)s is archived",
                                 project_id=project_id), "project_id")
