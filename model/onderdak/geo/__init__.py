"""Geography: boundaries, inhabitants per wijk, points, the spread over wijken and starter cases from public data."""
