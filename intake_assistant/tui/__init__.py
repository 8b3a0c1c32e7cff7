"""The Textual terminal UI. The only package that imports textual."""
