"""The seller form: ``/api/daftar`` (join or update), its status page and the
staff inbox's storage. See docs/PENJUAL.md."""
