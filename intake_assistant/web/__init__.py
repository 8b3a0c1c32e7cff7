"""The web intake: accessible server-rendered pages on the same engine as the terminal.

``site.WebSite`` is the aiohttp application (pages, one per screen of the flow); ``intakes``
holds the open intakes of one server process; ``guard`` is what every request passes (Host
check, access, CSRF, safety headers); ``fields`` and ``outcome`` put a screen and the outcome
into what the templates show. No textual here: the web intake is a driver beside the terminal.
"""
