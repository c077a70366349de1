"""The regional reports (make reports): build.py writes the pages from what
pages.py puts on them (figures.py: the public figures, sources.py: reference data and remarks);
charts.py draws their charts."""
