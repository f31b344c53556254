"""Shared core of Warung Online: what the catalog build and the functions both need.

Pure Python with no Pelican and no AWS: rupiah formatting, WhatsApp numbers,
the regency's wilayah data, the seller content rules and the Indonesian texts.
"""
