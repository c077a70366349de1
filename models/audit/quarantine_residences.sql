{{ quarantine_rows('residences') }}
