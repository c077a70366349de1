"""An auditor's figure-to-rows trace: cell.py traces, output.py writes privately and records, cli.py runs it."""
