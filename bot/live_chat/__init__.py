"""Live chat: residents write with a staff member, in opening hours."""
