"""`netterm settings --config-file`: where the config file (keys, theme) is, and a bad
one named in one line."""

from __future__ import annotations


def test_config_file_path_and_contents(run, tmp_path, monkeypatch):
    path = tmp_path / "c" / "config.toml"
    monkeypatch.setenv("NETTERM_CONFIG", str(path))
    code, out, err = run("settings", "--config-file")
    assert (code, err) == (0, "")
    assert out == f"{path} (not created yet)\n"
    path.parent.mkdir()
    path.write_text('theme = "nord"\n[keys]\n"contacts.log" = "L"\n')
    code, out, _ = run("settings", "--config-file")
    assert code == 0
    assert out == f"{path} (exists)\ntheme = nord\nkeys.contacts.log = L\n"


def test_a_bad_config_file_is_one_line(run, tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("NETTERM_CONFIG", str(path))
    path.write_text('theme = "nord"\nkeys = [\n')
    code, _out, err = run("settings", "--config-file")
    assert code == 1
    assert err.startswith(f"netterm: error: {path}:2: ") and err.count("\n") == 1


def test_config_file_takes_no_key(run):
    code, _, err = run("settings", "policy.cadence_tier1", "--config-file")
    assert code != 0 and "--config-file takes no KEY" in err
