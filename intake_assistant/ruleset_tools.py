"""Keep the compiled rulesets (``rules/data/compiled-rulesets.json``) those of the TOML files.

    python -m intake_assistant.ruleset_tools compile   # after changing or adding a ruleset
    python -m intake_assistant.ruleset_tools check     # exit 1 when the compiled file is stale

See ``rules/compiled_rulesets.py``: a stale file makes a start slower, never wrong.
This is a developer tool: the product never imports it at run time.
"""

from __future__ import annotations

import argparse
import sys

from intake_assistant.rules.compiled_rulesets import FILE_NAME, compiled_text
from intake_assistant.rules.ruleset import DATA_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m intake_assistant.ruleset_tools")
    parser.add_argument("action", choices=("compile", "check"))
    args = parser.parse_args(argv)
    target = DATA_DIR / FILE_NAME
    wanted = compiled_text(DATA_DIR)
    if args.action == "compile":
        target.write_text(wanted, encoding="utf-8")
        sys.stdout.write(f"wrote {target}\n")
        return 0
    if not target.is_file() or target.read_text(encoding="utf-8") != wanted:
        sys.stdout.write(f"{target} is not that of the TOML files: run python -m "
                         "intake_assistant.ruleset_tools compile\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
