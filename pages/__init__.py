"""One module per screen or screen group; importing a module registers its routes. A screen too big for one
module is a package: its `__init__` has the routes, its other modules the sections and what their buttons do."""
