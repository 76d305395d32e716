"""Portal forms of the partners app, one module per area."""
