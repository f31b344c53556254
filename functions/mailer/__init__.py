"""The mailer: an SQS consumer that emails sellers (and buyers) through SES v2.

``handler.handler`` takes SQS events of mail jobs (docs/ORDERS.md; the job
format is ``backend.mailjobs``'s). The work is split into small modules:
``lease`` (claim a record's email before sending, mark it sent after),
``render`` (Jinja2 text + HTML), ``mime`` (the raw message, headers from
validated values only), ``retry`` (classify errors, back off) and
``deliver`` (one job from record to SES).
"""
