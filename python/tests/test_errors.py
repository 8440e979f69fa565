"""Bad input raises clear Python exceptions; nothing ends the interpreter."""
import os

import pytest

import fortigate
from fortigate._child import run_isolated


def test_bad_cli_line_raises_config_error_with_line_and_token():
    text = "config firewall policy\n    edit 1\n        set bogus-field 3\n    next\nend\n"
    with pytest.raises(fortigate.ConfigError) as e:
        fortigate.check_config(text)
    assert e.value.line == 3
    assert e.value.token == "bogus-field"
    assert e.value.return_code == -61
    assert "line 3" in str(e.value) and "Return code -61" in e.value.message


def test_bad_value_and_unclosed_block():
    with pytest.raises(fortigate.ConfigError) as e:
        fortigate.check_config("config firewall policy\n edit 1\n  set action maybe\n next\nend\n")
    assert e.value.line == 3 and e.value.return_code == -651
    with pytest.raises(fortigate.ConfigError):
        fortigate.check_config("config firewall policy\n edit 1\n")


def test_wrong_types():
    with pytest.raises(TypeError, match="must be a str"):
        fortigate.check_config(42)
    with pytest.raises(TypeError, match="bytes or str"):
        fortigate.parse_sip(3.5)
    with pytest.raises(TypeError):
        fortigate.replay(b"config", "x.pcap")


def test_parsers_reject_garbage_with_value_error():
    with pytest.raises(ValueError, match="TFTP"):
        fortigate.parse_tftp(b"\x00")
    with pytest.raises(ValueError, match="rsh"):
        fortigate.parse_rsh_start(b"12")
    assert fortigate.parse_sip(b"\x00\xff garbage")["status"] != "ok"
    assert fortigate.parse_pptp(b"\x00" * 40)["status"] == "malformed"
    assert fortigate.parse_rtsp(b"\x01\x02\r\n\r\n")["status"] == "invalid"


def test_unknown_example_and_parameter():
    with pytest.raises(ValueError, match="unknown example 'no-such'"):
        fortigate.run_example("no-such")
    with pytest.raises(ValueError, match="has no parameter 'bogus'"):
        fortigate.run_example("nat-basic", bogus=1)
    with pytest.raises(TypeError, match="not supported"):
        fortigate.run_example("nat-basic", duration=[1, 2])
    with pytest.raises(ValueError, match="seed"):
        fortigate.run_example("nat-basic", seed=0)


def test_failing_example_raises_example_error():
    with pytest.raises(fortigate.ExampleError) as e:
        fortigate.run_example("sip-nat-call", quick=True, plot=False, modes="nosuchmode")
    assert e.value.returncode == 2 and "unknown mode" in str(e.value)


def test_replay_errors(tmp_path, config_text, corpus):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        fortigate.replay(config_text("replay-ftp.conf"), str(tmp_path / "missing.pcap"))
    junk = tmp_path / "junk.pcap"
    junk.write_bytes(b"this is not a capture at all")
    with pytest.raises(fortigate.ReplayError, match="junk.pcap"):
        fortigate.replay(config_text("replay-ftp.conf"), str(junk))
    with pytest.raises(fortigate.ConfigError) as e:
        fortigate.replay("config system interface\n edit port1\n  set nonsense 1\n next\nend\n",
                         corpus("ftp.pcap"))
    assert e.value.line == 3


def test_scenario_input_errors():
    s = fortigate.Scenario()
    s.lan_host("alice")
    with pytest.raises(ValueError, match="exists already"):
        s.lan_host("alice")
    with pytest.raises(ValueError, match="must be a host address"):
        s.wan_host("x", address="10.0.1.50")
    with pytest.raises(ValueError, match="rate"):
        s.link("wan", rate="fast")
    with pytest.raises(ValueError, match="no host 'bob'"):
        s.ftp_client("bob", server="alice")
    with pytest.raises(ValueError, match="unknown application kind"):
        s.app("telnet", "alice")
    with pytest.raises(fortigate.ConfigError):
        s.cli("config firewall policy\n edit 1\n  set bogus 1\n next\nend\n")
    with pytest.raises(ValueError, match="seed"):
        fortigate.Scenario(seed=-1)


def test_unknown_attribute_is_a_value_error_from_the_simulation():
    s = fortigate.Scenario()
    s.lan_host("alice")
    s.wan_host("srv")
    s.ftp_server("srv", files={"f": 10})
    s.ftp_client("alice", server="srv", NoSuchAttribute=1)
    with pytest.raises(ValueError, match="no attribute NoSuchAttribute"):
        s.run(duration=1)


def test_crash_in_a_child_process_is_an_exception():
    with pytest.raises(ChildProcessError, match="SIGABRT"):
        run_isolated(os.abort)
    # The interpreter is still here and the next job runs.
    assert run_isolated(sum, [1, 2, 3]) == 6
