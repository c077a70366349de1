"""Synthetic data: the raw extracts (raw.py and the modules it runs; make demo-data, make
national) and the reference seeds no public source exists for (reference.py)."""
