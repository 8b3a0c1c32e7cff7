"""The question flow: dialog files as data, the interview session and its commands.

No user interface lives here (and textual is never imported): the session decides which
question comes next, validates answers as they are typed, builds the draft application
and re-runs the pre-check after every accepted answer. See ``session.py`` for the API.
"""
