"""The staff inbox of seller submissions: ``make inbox``, ``make lihat``,
``make terima``, ``make tolak`` (docs/PENJUAL.md). Runs on the staff's
machine, never in a Lambda bundle."""
