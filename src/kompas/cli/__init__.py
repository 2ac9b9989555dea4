"""The ``kompas`` command (Typer). Thin: parse arguments, call engines, format results."""

from __future__ import annotations

import typer

from kompas.cli import admin as admin_module
from kompas.cli import audit as _audit_commands  # noqa: F401 (registers the audit commands on `admin`)
from kompas.cli import (
    compass,
    cyber,
    deliver,
    exercise,
    fimi,
    forces,
    infra,
    intel,
    isac,
    maritime,
    mobility,
    observatory,
    respond,
    space,
    tracks,
)
from kompas.cli import events_admin as _event_commands  # noqa: F401 (registers `admin remove-event`)
from kompas.cli import odm as odm_cli
from kompas.cli import run as run_module
from kompas.cli import warning as warning_cli

app = typer.Typer(help="Kompas: shared situational awareness for EU security and defence.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
space.app.add_typer(tracks.app, name="tracks")
space.app.add_typer(odm_cli.app, name="odm")
app.add_typer(space.app, name="space")
app.add_typer(compass.app, name="compass")
app.add_typer(observatory.app, name="observatory")
app.add_typer(fimi.app, name="fimi")
app.add_typer(respond.app, name="respond")
app.add_typer(cyber.app, name="cyber")
app.add_typer(infra.app, name="infra")
app.add_typer(maritime.app, name="maritime")
app.add_typer(intel.app, name="intel")
app.add_typer(warning_cli.app, name="warning")
app.add_typer(mobility.app, name="mobility")
app.add_typer(forces.app, name="forces")
app.add_typer(exercise.app, name="exercise")
app.add_typer(isac.app, name="isac")
app.command("run")(run_module.run)
app.command("serve")(admin_module.serve)
admin_module.admin.command("deliver")(deliver.deliver)
app.add_typer(admin_module.admin, name="admin")
app.add_typer(admin_module.db_app, name="db")


def main() -> None:
    """The ``kompas`` command: no traceback reaches a user (:func:`kompas.cli.common.run_guarded`)."""
    from kompas.cli.common import run_guarded

    run_guarded(app)
