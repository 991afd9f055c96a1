"""The Textual app: `netterm` with no command opens it (see `netterm.tui.app.run`).

Only this package imports Textual; the CLI imports it lazily, when the app is opened.
"""
