"""The pure domain: status rules, dates, names, search queries. No database, no Textual."""
