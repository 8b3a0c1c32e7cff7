"""Screens of the intake UI (pop-ups are modal screens)."""
