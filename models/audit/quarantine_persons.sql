{{ quarantine_rows('persons') }}
