"""One module per department: its export tables, column names, labels and habits.

The column names and value labels here are what `loaders/mappings/<department>.yaml`
translates; a change to one must be made in the other (tests/loaders check they agree).
"""
