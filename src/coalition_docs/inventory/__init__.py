"""The coalition's inventory: spreadsheet import and export, the gap analysis, the report."""
