"""Återrapporter: writing the follow-up of an aktivitetsplan, the nämnd's review and decision."""
