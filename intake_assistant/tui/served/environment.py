"""What ``intake-assistant serve`` tells each intake process it starts, by environment variable.

A module of its own so that the server (``served/server.py``) and the served tab
(``served/tab.py``) name the same variables without importing each other.
"""

ENV_ROLE = "INTAKE_ASSISTANT_SERVED_ROLE"  # "client" or "advisor"
ENV_DATA_DIR = "INTAKE_ASSISTANT_SERVED_DATA_DIR"
ENV_LANG = "INTAKE_ASSISTANT_SERVED_LANG"
ENV_RESUME = "INTAKE_ASSISTANT_SERVED_RESUME"  # a resume code from the visitor's link
ENV_URL = "INTAKE_ASSISTANT_SERVED_URL"  # the address visitors open (with its token)
ENV_PDF = "INTAKE_ASSISTANT_SERVED_PDF"  # non-empty: the server can make PDFs
ENV_STORE = "INTAKE_ASSISTANT_SERVED_STORE"  # a team store's URL (its token: the team's variable)
