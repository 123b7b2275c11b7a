"""A local OCH-compatible platform server (layers A and B of the contract) with seeded Tier-5 data.

It is an independent implementation of the platform contract (platform-api.md): it imports nothing from the rest of
mentor_desk, so the client and the server can catch each other's mistakes.
"""
