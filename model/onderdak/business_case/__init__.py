"""The business case of buying a building: the need it serves, its alternatives, reuse and sensitivity."""
