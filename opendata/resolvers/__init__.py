"""Resolvers: thin functions that parse arguments, call the domain and map errors."""
