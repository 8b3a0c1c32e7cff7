"""The intake service: an intake's lifecycle and storage, for every channel, with no UI.

``OpenIntake`` opens (new, resume, import), changes, saves and exports one intake at a time;
the terminal App, the served browser tab and the CLI drive it. Nothing here imports textual
or aiohttp: a channel differs only by its :class:`~intake_assistant.service.open_intake.Channel`
(where intakes are kept, who answers, whether settings are remembered).
"""
