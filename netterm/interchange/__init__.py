"""Reading and writing the formats people really have: LinkedIn, Google, vCard, JSON, iCalendar.

Every module here is pure: it turns bytes into plain records (`records.ContactRecord`)
or records into text, and never touches the database. `netterm.services.interchange`
matches the records against the network, plans and applies an import in one
transaction, and gathers the records for an export.

A file netterm cannot read raises `InvalidInput` whose field is `FILE:LINE`, so the
message a user sees names the place to look: `Connections.csv:17: …`.
"""
