"""Backtests of the inflow ensemble and the national chain against what happened."""
