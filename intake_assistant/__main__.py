"""``python -m intake_assistant``: the same as the ``intake-assistant`` command."""

import sys

from intake_assistant.cli import main

sys.exit(main())
