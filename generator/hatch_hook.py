"""A hatchling build hook that regenerates the models before a wheel or sdist is built.

A project turns it on in its own pyproject.toml::

    [build-system]
    requires = ["hatchling", "docmodels"]
    build-backend = "hatchling.build"

    [tool.hatch.build.hooks.docmodels]

The hook reads ``[tool.docmodels]`` of the project being built and runs
``docmodels generate`` in its root, so the built files hold models made from
the docs as they are at build time. The output folder is added to the build's
artifacts, so it is packed even when ``.gitignore`` lists it. A wheel built from
an sdist runs the hook again, so the sdist must include the pages; hatchling's
default sdist includes every file that git tracks.

hatchling finds this module through the ``hatch`` entry point of docmodels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.config import BuilderConfig
from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from .config import load_config
from .errors import DocmodelsError, ExitCode


class DocmodelsBuildHook(BuildHookInterface[BuilderConfig]):
    """Regenerate spec and models in the project root before the build collects files."""

    PLUGIN_NAME = "docmodels"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from .pipeline import run

        try:
            config = load_config(Path(self.root))
            result = run(config)
        except DocmodelsError as error:
            self.app.display_error(f"docmodels: error: {error}")
            raise SystemExit(ExitCode.USER_ERROR) from None
        for diagnostic in result.diagnostics.warnings:
            self.app.display_warning(f"docmodels: {diagnostic}")
        if result.no_op:
            self.app.display_info("docmodels: models are current")
        for path in [*result.changed, *result.removed]:
            self.app.display_info(f"docmodels: updated {path}")
        build_data.setdefault("artifacts", []).append(
            f"/{config.output_dir.strip('/')}/"
        )


@hookimpl
def hatch_register_build_hook() -> type[DocmodelsBuildHook]:
    return DocmodelsBuildHook
