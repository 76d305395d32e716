"""Portal forms of the deals app, one module per area."""
