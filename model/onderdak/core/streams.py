"""The three target groups (doelgroepen) every stage of Onderdak is computed for."""

STREAMS = ("ukraine", "asylum", "status_holders")
"""The three target groups, in report order: Ukrainians in municipal reception (GOO), asylum
seekers hosted under the Spreidingswet, and status holders housed under the taakstelling."""
