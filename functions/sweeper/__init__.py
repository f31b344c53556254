"""The sweeper: queues mail jobs left in checkout outboxes (``backend.mailqueue.requeue``)."""
