"""One module per screen or screen group; importing a module registers its routes."""
