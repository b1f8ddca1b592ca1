"""The revisions, oldest first by number; a package so that an installed portal ships them."""
