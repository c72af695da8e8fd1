"""The municipality's need per stream, month and path, and the one shortfall measure."""
