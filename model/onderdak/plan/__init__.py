"""The investment plan: scenario reduction, the portfolio MILP, its solve and diagnosis, tables and money."""
