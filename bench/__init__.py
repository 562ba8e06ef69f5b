"""`python -m bench`: time errspec on the real spec and on synthetic registries."""
