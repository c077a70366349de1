{{ quarantine_rows('sheltered_work_requests') }}
