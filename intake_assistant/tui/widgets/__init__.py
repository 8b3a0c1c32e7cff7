"""Widgets of the intake UI."""
