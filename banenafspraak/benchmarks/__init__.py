"""make benchmark / benchmark-spark (national.py) and make benchmark-disclosure (disclosure.py)."""
