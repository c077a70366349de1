"""The regional reports (make reports): build.py writes the pages, charts.py draws their charts."""
