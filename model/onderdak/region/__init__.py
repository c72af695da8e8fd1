"""The regional overview over a region's municipalities."""
