"""The search function: ``GET /api/search?q=`` over the private catalog."""
