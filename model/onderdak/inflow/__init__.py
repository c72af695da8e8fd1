"""National drivers: the published record, then a seeded Monte-Carlo ensemble of inflow and the asylum chain."""
