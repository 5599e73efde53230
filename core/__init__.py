"""What every app shares, importing no app: only Django and libraries."""
