"""The bottom layer: the three streams, labelled Monte-Carlo containers, domain errors and notes."""
