"""The course's files in content/ and the database, kept in step by import and export.

format.py is the schema and the one writer of the files; reader.py reads and validates
them; sync.py writes them to the database (import_content); conflicts.py tells admin
edits an import would overwrite; exporter.py writes the database back (export_content).
"""
