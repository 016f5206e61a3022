"""`xxgk serve`: the web pages and the JSON API for staff and county offices (docs/serve.md).

A front end beside `cli/` and `excel/`: it calls the same library (reading, checking,
rendering, summing) and adds only HTTP, the pages and the county store under `--data`.
"""
