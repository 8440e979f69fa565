/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * DCE-RPC parser tests: the corpus capture dcerpc.pcap (connectionless DCE-RPC over UDP, both
 * integer representations; ntop/nDPI, see ../shared/corpus/SOURCES.md), built endpoint-mapper
 * PDUs with NDR towers, and malformed input (floor counts and NDR counts that lie).
 */
#include "corpus.h"

#include "ns3/dcerpc-parser.h"

#include <gtest/gtest.h>
#include <map>
#include <random>

using namespace ns3;

TEST(DceRpcParser, CorpusConnectionless)
{
    const auto pkts = CorpusPackets("dcerpc.pcap", IPPROTO_NUM_UDP);
    ASSERT_EQ(pkts.size(), 16u);
    std::map<std::pair<std::string, uint32_t>, uint16_t> requests; // (activity, seq) -> opnum
    int responses = 0;
    for (const auto& p : pkts)
    {
        SCOPED_TRACE("frame " + std::to_string(p.number));
        DceRpcPdu pdu;
        ASSERT_TRUE(ParseDceRpc(p.payload.data(), p.payload.size(), pdu));
        EXPECT_TRUE(pdu.connectionless);
        EXPECT_FALSE(pdu.fragmented);
        EXPECT_EQ(pdu.length, p.payload.size());
        EXPECT_EQ(pdu.stubOffset + pdu.stubLength, p.payload.size());
        const std::string act = DceUuidToString(pdu.activity);
        if (pdu.type == DCERPC_REQUEST)
        {
            requests[{act, pdu.callId}] = pdu.opnum;
        }
        else
        {
            ASSERT_EQ(pdu.type, DCERPC_RESPONSE);
            EXPECT_EQ(requests.count({act, pdu.callId}), 1u) << act << " seq " << pdu.callId;
            ++responses;
        }
    }
    EXPECT_EQ(responses, 8);
    // Frame 1: a big-endian request; frame 3: its little-endian response, the same interface.
    DceRpcPdu a;
    DceRpcPdu b;
    ASSERT_TRUE(ParseDceRpc(pkts[0].payload.data(), pkts[0].payload.size(), a));
    ASSERT_TRUE(ParseDceRpc(pkts[2].payload.data(), pkts[2].payload.size(), b));
    EXPECT_FALSE(a.littleEndian);
    EXPECT_TRUE(b.littleEndian);
    EXPECT_EQ(DceUuidToString(a.interfaceUuid), "dea00001-6c97-11d1-8271-00a02442df7d");
    EXPECT_EQ(DceUuidToString(b.interfaceUuid), "dea00001-6c97-11d1-8271-00a02442df7d");
    EXPECT_EQ(DceUuidToString(a.activity), "35fda900-358a-1212-8004-001c060b26ed");
    EXPECT_EQ(a.stubLength, 562u);
    EXPECT_EQ(b.stubLength, 90u);
    // Frame 5: opnum 3, sequence 1.
    ASSERT_TRUE(ParseDceRpc(pkts[4].payload.data(), pkts[4].payload.size(), a));
    EXPECT_EQ(a.opnum, 3);
    EXPECT_EQ(a.callId, 1u);
    // Cut by one byte: the body length lies.
    EXPECT_FALSE(ParseDceRpc(pkts[0].payload.data(), pkts[0].payload.size() - 1, a));
}

TEST(DceRpcParser, EndpointMapperOverTcp)
{
    DceUuid iface;
    ASSERT_TRUE(ParseDceUuid("12345778-1234-ABCD-EF00-0123456789AC", iface));
    EXPECT_EQ(DceUuidToString(iface), "12345778-1234-abcd-ef00-0123456789ac");
    const auto bind = BuildDceBind(1, EpmInterfaceUuid(), 3);
    DceRpcPdu pdu;
    ASSERT_TRUE(ParseDceRpc(bind.data(), bind.size(), pdu));
    EXPECT_EQ(pdu.type, DCERPC_BIND);
    ASSERT_EQ(pdu.contexts.size(), 1u);
    EXPECT_EQ(pdu.contexts[0].second, EpmInterfaceUuid());
    const auto ack = BuildDceBindAck(1);
    ASSERT_TRUE(ParseDceRpc(ack.data(), ack.size(), pdu));
    EXPECT_EQ(pdu.type, DCERPC_BIND_ACK);
    EXPECT_EQ(pdu.length, ack.size());

    const std::string ask = BuildDceTower(iface, 1, 6, 0, 0);
    const auto req = BuildDceCo(DCERPC_REQUEST, 2, EPM_OPNUM_MAP, BuildEptMapRequestStub(ask));
    ASSERT_TRUE(ParseDceRpc(req.data(), req.size(), pdu));
    EXPECT_EQ(pdu.opnum, EPM_OPNUM_MAP);
    EXPECT_EQ(pdu.callId, 2u);
    EXPECT_FALSE(pdu.fragmented);
    DceTower t;
    ASSERT_TRUE(ParseEptMapRequest(req.data() + pdu.stubOffset, pdu.stubLength, true, t));
    EXPECT_EQ(t.interfaceUuid, iface);
    EXPECT_EQ(t.versionMajor, 1);
    EXPECT_EQ(t.proto, 6);

    const auto resp =
        BuildDceCo(DCERPC_RESPONSE,
                   2,
                   0,
                   BuildEptMapResponseStub({BuildDceTower(iface, 1, 6, 0x0a000005, 49152)}, 0));
    ASSERT_TRUE(ParseDceRpc(resp.data(), resp.size(), pdu));
    std::vector<DceTower> towers;
    uint32_t status = 1;
    ASSERT_TRUE(
        ParseEptMapResponse(resp.data() + pdu.stubOffset, pdu.stubLength, true, towers, status));
    EXPECT_EQ(status, 0u);
    ASSERT_EQ(towers.size(), 1u);
    EXPECT_EQ(towers[0].port, 49152);
    EXPECT_EQ(towers[0].ip, 0x0a000005u);
    EXPECT_EQ(towers[0].proto, 6);
    // ipOffset points at the four address bytes in the stub.
    const uint8_t* ip = resp.data() + pdu.stubOffset + towers[0].ipOffset;
    EXPECT_EQ(ip[0], 10);
    EXPECT_EQ(ip[3], 5);

    // Connectionless: the same stub in a CL request.
    DceUuid act;
    ParseDceUuid("11111111-2222-3333-4444-555555555555", act);
    const auto cl = BuildDceCl(DCERPC_REQUEST,
                               EpmInterfaceUuid(),
                               act,
                               9,
                               EPM_OPNUM_MAP,
                               BuildEptMapRequestStub(ask));
    ASSERT_TRUE(ParseDceRpc(cl.data(), cl.size(), pdu));
    EXPECT_TRUE(pdu.connectionless);
    EXPECT_EQ(pdu.interfaceUuid, EpmInterfaceUuid());
    EXPECT_EQ(pdu.activity, act);
    EXPECT_EQ(pdu.callId, 9u);
    ASSERT_TRUE(ParseEptMapRequest(cl.data() + pdu.stubOffset, pdu.stubLength, true, t));
}

TEST(DceRpcParser, LyingCountsAreRefused)
{
    DceUuid iface = EpmInterfaceUuid();
    std::string tower = BuildDceTower(iface, 3, 6, 0x01020304, 135);
    DceTower t;
    ASSERT_TRUE(ParseDceTower(reinterpret_cast<const uint8_t*>(tower.data()), tower.size(), 0, t));
    // A floor count of 6 for 5 floors, and of 0.
    std::string lie = tower;
    lie[0] = 6;
    EXPECT_FALSE(ParseDceTower(reinterpret_cast<const uint8_t*>(lie.data()), lie.size(), 0, t));
    lie[0] = 0;
    EXPECT_FALSE(ParseDceTower(reinterpret_cast<const uint8_t*>(lie.data()), lie.size(), 0, t));
    // A floor length past the tower.
    lie = tower;
    lie[2] = 100;
    EXPECT_FALSE(ParseDceTower(reinterpret_cast<const uint8_t*>(lie.data()), lie.size(), 0, t));
    // Every truncation of the tower fails.
    for (std::size_t n = 0; n < tower.size(); ++n)
    {
        EXPECT_FALSE(ParseDceTower(reinterpret_cast<const uint8_t*>(tower.data()), n, 0, t)) << n;
    }
    // A response claiming 1000 towers, and an actual count over the maximum count.
    std::string stub = BuildEptMapResponseStub({tower}, 0);
    std::vector<DceTower> towers;
    uint32_t status = 0;
    std::string l2 = stub;
    l2[20] = static_cast<char>(0xe8);
    l2[21] = 0x03;
    EXPECT_FALSE(ParseEptMapResponse(reinterpret_cast<const uint8_t*>(l2.data()),
                                     l2.size(),
                                     true,
                                     towers,
                                     status));
    l2 = stub;
    l2[32] = 9; // actual count 9 > max count 4
    EXPECT_FALSE(ParseEptMapResponse(reinterpret_cast<const uint8_t*>(l2.data()),
                                     l2.size(),
                                     true,
                                     towers,
                                     status));
    // A tower length past the stub.
    l2 = stub;
    l2[40] = static_cast<char>(0xff);
    EXPECT_FALSE(ParseEptMapResponse(reinterpret_cast<const uint8_t*>(l2.data()),
                                     l2.size(),
                                     true,
                                     towers,
                                     status));
    // A CO frag_length past the segment, an auth_length past the PDU, a fragmented request.
    auto req = BuildDceCo(DCERPC_REQUEST, 1, 3, BuildEptMapRequestStub(tower));
    DceRpcPdu pdu;
    EXPECT_FALSE(ParseDceRpc(req.data(), req.size() - 1, pdu));
    auto r2 = req;
    r2[10] = 0xff;
    EXPECT_FALSE(ParseDceRpc(r2.data(), r2.size(), pdu));
    r2 = req;
    r2[3] = 0x01; // first fragment only
    ASSERT_TRUE(ParseDceRpc(r2.data(), r2.size(), pdu));
    EXPECT_TRUE(pdu.fragmented);
}

TEST(DceRpcParser, RandomBytesNeverCrash)
{
    std::mt19937 rng(5);
    const auto seed = BuildDceCo(
        DCERPC_RESPONSE,
        2,
        0,
        BuildEptMapResponseStub({BuildDceTower(EpmInterfaceUuid(), 1, 6, 0x0a000005, 49152)}, 0));
    std::vector<uint8_t> b;
    for (int i = 0; i < 3000; ++i)
    {
        b = seed;
        for (int k = 0; k < 4; ++k)
        {
            b[rng() % b.size()] = static_cast<uint8_t>(rng());
        }
        b.resize(rng() % (b.size() + 1));
        FuzzDceRpc(b.data(), b.size());
    }
    SUCCEED();
}
