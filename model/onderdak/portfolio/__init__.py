"""One scenario's portfolio: the Rijk's income, need allocated to locations, the budget and the MCA."""
