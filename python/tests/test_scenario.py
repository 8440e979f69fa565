"""The scenario builder: hosts, applications, CLI, results as Python objects."""
import fortigate


def ftp_scenario(policy=True, seed=1):
    s = fortigate.Scenario(seed=seed, wan_delay="2ms")
    s.lan_host("alice")
    s.wan_host("server")
    if policy:
        s.cli(fortigate.OUTBOUND_NAT_POLICY)
    s.ftp_server("server", files={"big.bin": 200000})
    s.ftp_client("alice", server="server", name="download", FileName="big.bin", FileSize=200000,
                 start=1.0)
    s.udp_echo("alice", "server", name="echo", MaxPackets=3, Interval="0.2s", start=1.0)
    s.snapshot(1.5, "diagnose sys session list")
    return s


def test_ftp_through_nat_with_helper():
    r = ftp_scenario().run(duration=6)
    dl = r.app("download")
    assert dl["completed"] and dl["bytes"] == 200000
    assert r.app("echo")["replies"] == 3
    # The control session was created by policy 1 and SNATed to the unit's WAN address.
    created = [e for e in r.events if e["event"] == "session-created"]
    assert any(e["org"].endswith(":21") and e["policy_id"] == 1 for e in created)
    mid = fortigate.parse_session_list(r.snapshot("diagnose sys session list"))
    ctrl = [x for x in mid if x.get("dport") == 21]
    assert ctrl and ctrl[0]["helper"] == "ftp" and ctrl[0]["nat_src"] == "203.0.113.1"
    df = r.events.to_dataframe()
    assert set(["time", "event"]) <= set(df.columns) and len(df) == len(r.events)


def test_without_a_policy_nothing_passes():
    r = ftp_scenario(policy=False).run(duration=4)
    assert not r.app("download")["completed"]
    assert r.app("echo")["replies"] == 0
    assert any(e["event"] in ("policy-denied", "drop") for e in r.events)
    assert not r.sessions


def test_sip_call_through_the_alg():
    s = fortigate.Scenario()
    s.lan_host("alice")
    s.wan_host("provider")
    s.wan_host("bob")
    s.cli(fortigate.OUTBOUND_NAT_POLICY)
    s.sip_registrar("provider")
    s.sip_phone("bob", "bob", registrar="provider", RingTime="0s")
    s.sip_phone("alice", "alice", registrar="provider", calls=[("bob", 2.0, 2.0)])
    r = s.run(duration=6)
    (call,) = r.app("alice")["calls"]
    assert call["answered"] and call["setup_ms"] > 0 and call["rtp_received"] > 0
    assert r.app("bob")["registered"]


def test_in_process_run_matches_isolated_run():
    a = ftp_scenario(seed=3).run(duration=3, isolated=False)
    b = ftp_scenario(seed=3).run(duration=3)
    assert a.app("download") == b.app("download")
    assert [e["event"] for e in a.events] == [e["event"] for e in b.events]
