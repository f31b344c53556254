"""warung.suggest: "did you mean"."""

from warung.suggest import closest

KECAMATAN = ["Purwakarta", "Bungursari", "Wanayasa", "Sukatani"]


def test_closest_or_none():
    assert closest("Purwakata", KECAMATAN) == "Purwakarta"
    assert closest("wanayas", KECAMATAN) == "Wanayasa"
    assert closest("BUNGURSARY", KECAMATAN) == "Bungursari"
    assert closest("kirim", ["ambil", "antar"]) is None
    assert closest("Atlantis", KECAMATAN, cutoff=0.75) is None
    assert closest("x", []) is None


def test_the_choice_comes_back_in_its_own_spelling():
    assert closest("makanan  ringan", ["Makanan", "Minuman"]) == "Makanan"
