{{ quarantine_rows('register_spells') }}
