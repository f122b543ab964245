"""The partner inventory as a spreadsheet: import from CSV or Excel, export back.

Columns carry the worksheet's table headings ("Organization name", "Type of
organization", "Target populations served", ...); cells carry the worksheet's
labels as people type them ("Nonprofit", "young people, residents with low
incomes"), in any case, several values separated by commas or semicolons.
Each label is matched to a vocabulary id (vocab.py); a cell that matches
nothing is a located problem, `file.csv:ROW:COLUMN`, with a suggestion. Rows
become `partners/ID.yaml`. An existing file is never overwritten unless asked
(`--force`), and then only the fields the spreadsheet has are replaced.
"""
