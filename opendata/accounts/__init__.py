"""Accounts: users, roles, bearer tokens, password hashing and sign-in rate limits."""
