"""warung.wilayah: the regency's kecamatan and desa from the one data file."""

from warung import wilayah


def test_the_regency_and_its_17_kecamatan():
    assert wilayah.regency()["kabupaten"] == "Kabupaten Purwakarta"
    names = wilayah.kecamatan_names()
    assert len(names) == 17 and "Wanayasa" in names and "Bungursari" in names


def test_kecamatan_matched_without_case_spaces_or_prefix():
    assert wilayah.find_kecamatan("wanayasa") == "Wanayasa"
    assert wilayah.find_kecamatan("  WANAYASA ") == "Wanayasa"
    assert wilayah.find_kecamatan("kec. bungursari") == "Bungursari"
    assert wilayah.find_kecamatan("Kec Bungursari") == "Bungursari"
    assert wilayah.find_kecamatan("Kecamatan Bungursari") == "Bungursari"
    assert wilayah.find_kecamatan("Purwakata") is None
    assert wilayah.find_kecamatan("Kecamatan") is None
    assert wilayah.strip_prefix("Kecamatanku") == "Kecamatanku"  # only a whole word


def test_desa_of_a_kecamatan():
    desa = wilayah.desa_names("Wanayasa")
    assert desa and all(isinstance(name, str) for name in desa)
    assert wilayah.find_desa("wanayasa", desa[0].upper()) == desa[0]
    assert wilayah.find_desa("Wanayasa", "Atlantis") is None
    assert wilayah.desa_names("Atlantis") == []
