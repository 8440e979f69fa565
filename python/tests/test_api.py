"""Each API call of the fortigate package, with real outcomes."""
import struct

import fortigate

POLICY = fortigate.OUTBOUND_NAT_POLICY


def test_check_config_returns_show_of_the_result():
    ports = ["port1", "port2"]  # the factory configuration has none, as ./fgsim cli
    show = fortigate.check_config(POLICY, interfaces=ports)
    assert "config firewall policy" in show
    assert 'set srcintf "port1"' in show
    assert "set nat enable" in show
    # full=True prints defaults too: strictly more text.
    assert len(fortigate.check_config(POLICY, full=True, interfaces=ports)) > len(show)


def test_table_paths():
    paths = fortigate.table_paths()
    assert "firewall policy" in paths
    assert "system session-helper" in paths


def test_parse_sip_invite_with_sdp():
    sdp = ("v=0\r\no=alice 1 1 IN IP4 10.0.1.10\r\ns=-\r\nc=IN IP4 10.0.1.10\r\nt=0 0\r\n"
           "m=audio 49170 RTP/AVP 0\r\na=rtcp:49171\r\n")
    msg = ("INVITE sip:bob@198.51.100.7 SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 10.0.1.10:5060;branch=z9hG4bK776\r\n"
           "From: <sip:alice@198.51.100.7>;tag=1\r\nTo: <sip:bob@198.51.100.7>\r\n"
           "Call-ID: abc@10.0.1.10\r\nCSeq: 1 INVITE\r\n"
           "Contact: <sip:alice@10.0.1.10:5060>\r\nMax-Forwards: 70\r\n"
           "Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s" % (len(sdp), sdp))
    r = fortigate.parse_sip(msg)
    assert r["status"] == "ok" and r["valid"]
    assert r["method"] == "INVITE"
    assert r["request_uri"]["user"] == "bob"
    assert r["vias"][0]["host"] == "10.0.1.10" and r["vias"][0]["branch"] == "z9hG4bK776"
    assert r["from"]["tag"] == "1"
    assert r["contacts"][0]["uri"]["port"] == 5060
    assert r["call_id"] == "abc@10.0.1.10" and r["cseq"] == 1
    m = r["sdp"]["media"][0]
    assert (m["media"], m["port"], m["connection"], m["rtcp_port"]) == \
        ("audio", 49170, "10.0.1.10", 49171)


def test_parse_sip_reports_malformed_headers():
    msg = ("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\n"
           "Call-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")
    r = fortigate.parse_sip(msg.encode())
    assert r["status"] == "ok" and r["status_code"] == 200
    assert not r["valid"]
    assert any("Via" in v["reason"] for v in r["violations"])


def test_parse_sdp():
    r = fortigate.parse_sdp("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=x\r\nc=IN IP4 192.0.2.1\r\n"
                            "t=0 0\r\nm=audio 4000 RTP/AVP 0 8\r\na=sendonly\r\n")
    assert r["valid"]
    assert r["origin"]["address"]["address"] == "192.0.2.1"
    assert r["media"][0]["formats"] == ["0", "8"]
    assert r["media"][0]["direction"] == "sendonly"


def test_find_ftp_address_commands():
    c = fortigate.find_ftp_address_commands(b"PORT 10,0,1,2,234,231\r\n", from_client=True)
    assert c == [{"kind": c[0]["kind"], "address": "10.0.1.2", "port": 234 * 256 + 231,
                  "line": "PORT 10,0,1,2,234,231\r\n", "text": "10,0,1,2,234,231"}]
    s = fortigate.find_ftp_address_commands(
        "227 Entering Passive Mode (192,0,2,9,4,1).\r\n", from_client=False)
    assert s[0]["address"] == "192.0.2.9" and s[0]["port"] == 1025


def test_parse_tftp():
    r = fortigate.parse_tftp(b"\x00\x01boot.img\x00octet\x00blksize\x001428\x00")
    assert r["op"] == "RRQ" and r["filename"] == "boot.img" and r["mode"] == "octet"
    assert r["options"] == [("blksize", "1428")]
    d = fortigate.parse_tftp(b"\x00\x03\x00\x07abc")
    assert d["block"] == 7 and d["data"] == b"abc"


def test_parse_rtsp_setup_transport():
    r = fortigate.parse_rtsp("SETUP rtsp://192.0.2.5/movie/track1 RTSP/1.0\r\nCSeq: 3\r\n"
                             "Transport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n")
    assert r["status"] == "complete" and r["method"] == "SETUP" and r["cseq"] == 3
    assert r["transports"][0]["client_port"] == (5000, 5001)
    assert fortigate.parse_rtsp("SETUP rtsp://x RTSP/1.0\r\nCSeq: 3\r\n")["status"] == \
        "incomplete"


def test_parse_pptp_start_control_connection_request():
    msg = struct.pack("!HHIHHHHII HH64s64s", 156, 1, 0x1A2B3C4D, 1, 0, 0x0100, 0, 1, 1, 1, 0,
                      b"host", b"vendor")
    r = fortigate.parse_pptp(msg)
    assert r["status"] == "ok" and r["consumed"] == 156
    assert r["messages"][0]["type"] == 1 and r["messages"][0]["host_name"] == "host"
    assert fortigate.parse_pptp(msg[:100])["status"] == "incomplete"


def test_parse_rsh_start():
    r = fortigate.parse_rsh_start(b"1023\x00alice\x00bob\x00ls -l\x00")
    assert r == {"stderr_port": 1023, "local_user": "alice", "remote_user": "bob",
                 "command": "ls -l", "length": 21}


def test_parse_session_list_and_summary():
    text = ("session info: proto=6 proto_state=01 duration=3 expire=3597 timeout=3600 "
            "flags=00000000 sockflag=00000000 sockport=0 av_idx=0 use=3\n"
            "class_id=0 ha_id=0 policy_dir=0 tunnel=/ helper=ftp vlan_cos=255/255\n"
            "state=may_dirty npu\n"
            "statistic(bytes/packets/allow_err): org=112/2/1 reply=60/1/1 tuples=2\n"
            "hook=post dir=org act=snat 10.0.1.10:40000->198.51.100.7:21(203.0.113.1:40000)\n"
            "hook=pre dir=reply act=dnat 198.51.100.7:21->203.0.113.1:40000(10.0.1.10:40000)\n"
            "misc=0 policy_id=1 auth_info=0 chk_client_info=0 vd=0\n"
            "serial=0000002a tos=ff/ff app_list=0 app=0 url_cat=0\ntotal session 1\n")
    (s,) = fortigate.parse_session_list(text)
    assert (s["proto"], s["policy_id"], s["helper"], s["serial"]) == (6, 1, "ftp", "0000002a")
    assert (s["src"], s["sport"], s["dst"], s["dport"]) == ("10.0.1.10", 40000, "198.51.100.7", 21)
    assert (s["nat_src"], s["nat_sport"]) == ("203.0.113.1", 40000)
    assert s["org_bytes"] == 112 and s["reply_packets"] == 1 and s["state"] == ["may_dirty", "npu"]
    assert fortigate.parse_summary("x\nsummary: a=1 b=2.5 c=two-way d=- e=3/8\n") == \
        {"a": 1, "b": 2.5, "c": "two-way", "d": None, "e": "3/8"}


def test_run_example_numbers_and_series():
    r = fortigate.run_example("nat-basic", quick=True)
    assert isinstance(r["tcp_rx_bytes"], int) and r["tcp_rx_bytes"] > 0
    assert r["telnet_rx_bytes"] == 0
    s = fortigate.run_example("sip-nat-call", quick=True, plot=False, modes="alg", callRate=20,
                              loadSeconds=0.5, loadTalk=0.5)
    assert s["alg_audio"] == "two-way" and "kernel_audio" not in s
    assert s["alg_load_calls"] == 10 and s["alg_load_answered"] == 10
    series = s["series"]["alg_setup_ms"]
    assert len(series) == 10 and all(isinstance(v, float) and v > 0 for _, v in series)
    assert abs(s["alg_load_setup_ms_mean"] - sum(v for _, v in series) / 10) < 0.01


def test_example_parameters():
    p = fortigate.example_parameters("sip-nat-call")
    assert {"quick", "plot", "modes", "callRate"} <= set(p)


def test_replay_ftp_capture(corpus, config_text, tmp_path):
    out = tmp_path / "out.pcap"
    r = fortigate.replay(config_text("replay-ftp.conf"), corpus("ftp.pcap"), write=str(out),
                         exec=["get system session status", "show firewall policy"])
    assert len(r.packets) == r.summary["packets"] == 209
    assert sum(p["verdict"] == "forwarded" for p in r.packets) == r.summary["forwarded"] > 0
    assert r.summary["pinholes"] > 0
    assert any(s.get("helper") == "ftp" for s in r.sessions)
    assert "config firewall policy" in r.exec["show firewall policy"]
    assert "session_count" in r.exec["get system session status"] or \
        r.exec["get system session status"].strip()
    assert out.stat().st_size > 24
    df = r.sessions.to_dataframe()
    assert len(df) == len(r.sessions)


def test_replay_without_policy_drops_everything(corpus, config_text):
    text = config_text("replay-ftp.conf")
    text = text[:text.index("config firewall policy")]
    r = fortigate.replay(text, corpus("ftp.pcap"))
    assert r.summary["forwarded"] == 0 and not r.sessions
    first = r.packets[0]
    assert (first["interface"], first["verdict"]) == ("port1", "dropped")
    assert first["packet"] == "tcp 192.168.1.212:50694 -> 90.130.70.73:21 [S]"
    assert first["reason"] and sum(r.drops.values()) == r.summary["dropped"] > 0
