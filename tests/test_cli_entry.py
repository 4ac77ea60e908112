"""Start-up: `import gatetree` and `gatetree --version`/`--help` import only what they need."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import gatetree
import gatetree.cli
from gatetree.cli_entry import COMMANDS, home_of, main

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("click", "yaml", "gatetree.render", "graphviz", "networkx", "jsonschema")


def _modules(code: str) -> list[str]:
    """The gatetree and heavy modules a fresh interpreter holds after running `code`."""
    script = (f"import sys\n{code}\nprint(sorted(m for m in sys.modules if m.startswith("
              f"'gatetree') or m in {HEAVY!r}))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    return eval(result.stdout.strip().splitlines()[-1])  # a printed list of names


def test_the_listed_summaries_are_the_commands_own() -> None:
    ctx = click.Context(main)
    for name in COMMANDS:
        importlib.import_module(home_of(name), "gatetree")
    real = {name: command.get_short_help_str(sys.maxsize)
            for name, command in gatetree.cli.main.commands.items()}
    assert real == COMMANDS
    assert gatetree.cli.main is main  # one group: cli defines its commands on it
    assert main.list_commands(ctx) == sorted(real)


def test_help_lists_the_commands_as_click_would_from_the_commands() -> None:
    listed = CliRunner().invoke(main, ["--help"], prog_name="gatetree").output
    ctx = click.Context(main, info_name="gatetree")
    formatter = ctx.make_formatter()
    main.format_usage(ctx, formatter)
    main.format_help_text(ctx, formatter)
    click.Command.format_options(main, ctx, formatter)  # the options alone
    click.Group.format_commands(main, ctx, formatter)  # asks each command for its summary
    assert listed == formatter.getvalue()


def test_importing_gatetree_loads_nothing_else() -> None:
    assert _modules("import gatetree") == ["gatetree"]


def test_loading_a_valid_tree_needs_no_cli_renderer_or_schema_library() -> None:
    found = _modules("from gatetree import load_tree\nload_tree('retrain-or-tune')")
    assert not {"click", "gatetree.render", "gatetree.cli", "graphviz", "jsonschema"} & set(found)


def test_version_and_help_load_no_engine_module() -> None:
    for option in ("--version", "--help"):
        code = (f"from gatetree.cli_entry import main\nsys.argv = ['gatetree', '{option}']\n"
                "try:\n    main()\nexcept SystemExit:\n    pass")
        assert _modules(code) == ["click", "gatetree", "gatetree._version", "gatetree.cli_entry",
                                  "gatetree.cli_help"]


def test_the_version_is_the_installed_one() -> None:
    from importlib.metadata import version

    from gatetree._version import __version__

    assert version("gatetree") == __version__
    assert CliRunner().invoke(main, ["--version"], prog_name="gatetree").output == \
        f"gatetree, version {__version__}\n"


def test_a_command_is_imported_when_it_runs() -> None:
    result = CliRunner().invoke(main, ["list"], prog_name="gatetree")
    assert result.exit_code == 0
    assert "retrain-or-tune" in result.output


def test_every_public_name_is_found_where_the_package_says() -> None:
    for name in gatetree.__all__:
        assert getattr(gatetree, name) is not None
    homes = {name for names in gatetree._MODULES.values() for name in names}
    assert homes == set(gatetree.__all__)
    assert set(gatetree.__all__) <= set(dir(gatetree))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match=r"^module 'gatetree' has no attribute 'load_trees'$"):
        gatetree.load_trees  # type: ignore[attr-defined]  # noqa: B018
