{{ quarantine_rows('payroll') }}
