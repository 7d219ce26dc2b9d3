"""Strawberry GraphQL types: declarative only; behaviour lives in resolvers and the domain."""
