"""Shipped department mapping files (docs/mapping-files.md), one `<department>.yaml` each."""
