"""The order function: POST /api/order and GET /api/order/<code>?t=<token>."""
