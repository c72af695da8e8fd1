"""Money over time (discounting, NPV, annuities) and the reuse of buildings after reception."""
