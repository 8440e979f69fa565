/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The subset of H.225.0 (v4 and later) and H.245 the h323, ras and h245 helpers decode, as
 * tables for PerDecode. Member order and root/extension split follow the ASN.1 modules
 * (H-225-0-MESSAGES, MULTIMEDIA-SYSTEM-CONTROL); a member written `nullptr` is one this
 * subset does not describe: skipped where PER gives its length (an extension addition or
 * alternative), and the end of the decoding where it does not (the decoding is still valid up
 * to there). Linux's nf_conntrack_h323_types.c and Wireshark's packet-h225/h245 were read to
 * check the field order; nothing is copied from them.
 */
#include "h323-asn1.h"

#include <iterator>

namespace ns3
{

namespace
{
/// Shorthands for the tables.
constexpr PerType
Nul()
{
    return PerType{PerKind::NUL, false, 0, 0, nullptr, 0, 0, nullptr, 0};
}

constexpr PerType
Bool()
{
    return PerType{PerKind::BOOL, false, 0, 0, nullptr, 0, 0, nullptr, 0};
}

constexpr PerType
Int(int64_t lb, int64_t ub)
{
    return PerType{PerKind::INT, false, lb, ub, nullptr, 0, 0, nullptr, 0};
}

constexpr PerType
Octets(int64_t lb, int64_t ub, const PerType* contained = nullptr)
{
    return PerType{PerKind::OCTETS, false, lb, ub, nullptr, 0, 0, contained, 0};
}

constexpr PerType
Chars(int64_t lb, int64_t ub, uint8_t bits)
{
    return PerType{PerKind::CHARS, false, lb, ub, nullptr, 0, 0, nullptr, bits};
}

constexpr PerType
Oid()
{
    return PerType{PerKind::OID, false, 0, 0, nullptr, 0, 0, nullptr, 0};
}

constexpr PerType
SeqOf(const PerType* element, int64_t lb = 0, int64_t ub = -1)
{
    return PerType{PerKind::SEQOF, false, lb, ub, nullptr, 0, 0, element, 0};
}

template <std::size_t N>
constexpr PerType
Seq(const PerField (&f)[N], uint16_t root, bool ext = true)
{
    return PerType{PerKind::SEQUENCE, ext, 0, 0, f, root, static_cast<uint16_t>(N), nullptr, 0};
}

template <std::size_t N>
constexpr PerType
Choice(const PerField (&f)[N], uint16_t root, bool ext = true)
{
    return PerType{PerKind::CHOICE, ext, 0, 0, f, root, static_cast<uint16_t>(N), nullptr, 0};
}

// ---- common leaves
const PerType NUL = Nul();
const PerType BOOLEAN = Bool();
const PerType OID = Oid();
const PerType U8 = Int(0, 255);
const PerType U16 = Int(0, 65535);
const PerType SEQNUM = Int(1, 65535);
const PerType U32 = Int(0, 4294967295LL);
const PerType OCTETS = Octets(0, -1);
const PerType OCTETS2 = Octets(2, 2);
const PerType OCTETS4 = Octets(4, 4);
const PerType OCTETS6 = Octets(6, 6);
const PerType OCTETS16 = Octets(16, 16);
const PerType OCTETS_1_20 = Octets(1, 20);
const PerType OCTETS_1_256 = Octets(1, 256);
const PerType BMP_1_128 = Chars(1, 128, 16);   // GatekeeperIdentifier, EndpointIdentifier
const PerType BMP_1_256 = Chars(1, 256, 16);   // h323-ID
const PerType DIGITS_1_128 = Chars(1, 128, 4); // dialedDigits FROM("0123456789#*,")

// ---- H.225.0 common types
const PerField IP_ADDRESS[] = {{"ip", &OCTETS4, false, PER_IP}, {"port", &U16, false, PER_PORT}};
const PerType IP_ADDRESS_T = Seq(IP_ADDRESS, 2, false);
const PerField ROUTING[] = {{"strict", &NUL, false, 0}, {"loose", &NUL, false, 0}};
const PerType ROUTING_T = Choice(ROUTING, 2);
const PerType ROUTE_T = SeqOf(&OCTETS4);
const PerField IP_SOURCE_ROUTE[] = {{"ip", &OCTETS4, false, 0},
                                    {"port", &U16, false, 0},
                                    {"route", &ROUTE_T, false, 0},
                                    {"routing", &ROUTING_T, false, 0}};
const PerType IP_SOURCE_ROUTE_T = Seq(IP_SOURCE_ROUTE, 4);
const PerField IPX_ADDRESS[] = {{"node", &OCTETS6, false, 0},
                                {"netnum", &OCTETS4, false, 0},
                                {"port", &OCTETS2, false, 0}};
const PerType IPX_ADDRESS_T = Seq(IPX_ADDRESS, 3, false);
const PerField IP6_ADDRESS[] = {{"ip", &OCTETS16, false, 0}, {"port", &U16, false, 0}};
const PerType IP6_ADDRESS_T = Seq(IP6_ADDRESS, 2);

const PerField H221_NON_STANDARD[] = {{"t35CountryCode", &U8, false, 0},
                                      {"t35Extension", &U8, false, 0},
                                      {"manufacturerCode", &U16, false, 0}};
const PerType H221_NON_STANDARD_T = Seq(H221_NON_STANDARD, 3);
const PerField NON_STANDARD_ID[] = {{"object", &OID, false, 0},
                                    {"h221NonStandard", &H221_NON_STANDARD_T, false, 0}};
const PerType NON_STANDARD_ID_T = Choice(NON_STANDARD_ID, 2);
const PerField NON_STANDARD_PARAMETER[] = {{"nonStandardIdentifier", &NON_STANDARD_ID_T, false, 0},
                                           {"data", &OCTETS, false, 0}};
const PerType NSP = Seq(NON_STANDARD_PARAMETER, 2, false);

const PerField TRANSPORT_ADDRESS[] = {{"ipAddress", &IP_ADDRESS_T, false, 0},
                                      {"ipSourceRoute", &IP_SOURCE_ROUTE_T, false, 0},
                                      {"ipxAddress", &IPX_ADDRESS_T, false, 0},
                                      {"ip6Address", &IP6_ADDRESS_T, false, 0},
                                      {"netBios", &OCTETS16, false, 0},
                                      {"nsap", &OCTETS_1_20, false, 0},
                                      {"nonStandardAddress", &NSP, false, 0}};
const PerType TA = Choice(TRANSPORT_ADDRESS, 7);
const PerType TA_LIST = SeqOf(&TA);

const PerField ALIAS_ADDRESS[] = {{"dialedDigits", &DIGITS_1_128, false, 0},
                                  {"h323-ID", &BMP_1_256, false, 0},
                                  {"url-ID", nullptr, false, 0},
                                  {"transportID", nullptr, false, 0},
                                  {"email-ID", nullptr, false, 0},
                                  {"partyNumber", nullptr, false, 0},
                                  {"mobileUIM", nullptr, false, 0}};
const PerType ALIAS = Choice(ALIAS_ADDRESS, 2);
const PerType ALIAS_LIST = SeqOf(&ALIAS);

const PerField VENDOR[] = {{"vendor", &H221_NON_STANDARD_T, false, 0},
                           {"productId", &OCTETS_1_256, true, 0},
                           {"versionId", &OCTETS_1_256, true, 0}};
const PerType VENDOR_T = Seq(VENDOR, 3);
const PerField NSD_ONLY[] = {{"nonStandardData", &NSP, true, 0}};
const PerType NSD_ONLY_T = Seq(NSD_ONLY, 1); // GatekeeperInfo, TerminalInfo, H310Caps, ...
const PerField SUPPORTED_PROTOCOLS[] = {{"nonStandardData", &NSP, false, 0},
                                        {"h310", &NSD_ONLY_T, false, 0},
                                        {"h320", &NSD_ONLY_T, false, 0},
                                        {"h321", &NSD_ONLY_T, false, 0},
                                        {"h322", &NSD_ONLY_T, false, 0},
                                        {"h323", &NSD_ONLY_T, false, 0},
                                        {"h324", &NSD_ONLY_T, false, 0},
                                        {"voice", &NSD_ONLY_T, false, 0},
                                        {"t120-only", &NSD_ONLY_T, false, 0}};
const PerType SUPPORTED_PROTOCOLS_T = Choice(SUPPORTED_PROTOCOLS, 9);
const PerType PROTOCOL_LIST = SeqOf(&SUPPORTED_PROTOCOLS_T);
const PerField GATEWAY_INFO[] = {{"protocol", &PROTOCOL_LIST, true, 0},
                                 {"nonStandardData", &NSP, true, 0}};
const PerType GATEWAY_INFO_T = Seq(GATEWAY_INFO, 2);
const PerField ENDPOINT_TYPE[] = {{"nonStandardData", &NSP, true, 0},
                                  {"vendor", &VENDOR_T, true, 0},
                                  {"gatekeeper", &NSD_ONLY_T, true, 0},
                                  {"gateway", &GATEWAY_INFO_T, true, 0},
                                  {"mcu", &NSD_ONLY_T, true, 0},
                                  {"terminal", &NSD_ONLY_T, true, 0},
                                  {"mc", &BOOLEAN, false, 0},
                                  {"undefinedNode", &BOOLEAN, false, 0}};
const PerType ENDPOINT_TYPE_T = Seq(ENDPOINT_TYPE, 8);

const PerField Q954[] = {{"conferenceCalling", &BOOLEAN, false, 0},
                         {"threePartyService", &BOOLEAN, false, 0}};
const PerType Q954_T = Seq(Q954, 2);
const PerField QSERIES[] = {{"q932Full", &BOOLEAN, false, 0},
                            {"q951Full", &BOOLEAN, false, 0},
                            {"q952Full", &BOOLEAN, false, 0},
                            {"q953Full", &BOOLEAN, false, 0},
                            {"q955Full", &BOOLEAN, false, 0},
                            {"q956Full", &BOOLEAN, false, 0},
                            {"q957Full", &BOOLEAN, false, 0},
                            {"q954Info", &Q954_T, false, 0}};
const PerType QSERIES_T = Seq(QSERIES, 8);
const PerField NULLS4[] = {{"a", &NUL, false, 0},
                           {"b", &NUL, false, 0},
                           {"c", &NUL, false, 0},
                           {"d", &NUL, false, 0}};
const PerType CALL_TYPE = Choice(NULLS4, 4);       // pointToPoint, oneToN, nToOne, nToN
const PerType CONFERENCE_GOAL = Choice(NULLS4, 3); // create, join, invite
const PerType CALL_MODEL = Choice(NULLS4, 2);      // direct, gatekeeperRouted
const PerType FACILITY_REASON = Choice(NULLS4, 4); // routeCallToGatekeeper, ...
const PerType SEQNUM_LIST = SeqOf(&U16);

// ---- H.245 (the part a logical channel's addresses need)
const PerField H245_H221[] = {{"t35CountryCode", &U8, false, 0},
                              {"t35Extension", &U8, false, 0},
                              {"manufacturerCode", &U16, false, 0}};
const PerType H245_H221_T = Seq(H245_H221, 3, false);
const PerField H245_NS_ID[] = {{"object", &OID, false, 0},
                               {"h221NonStandard", &H245_H221_T, false, 0}};
const PerType H245_NS_ID_T = Choice(H245_NS_ID, 2, false);
const PerField H245_NSP[] = {{"nonStandardIdentifier", &H245_NS_ID_T, false, 0},
                             {"data", &OCTETS, false, 0}};
const PerType H245_NSP_T = Seq(H245_NSP, 2, false);
const PerType H245_NSP_LIST = SeqOf(&H245_NSP_T);

const PerField UNI_IP[] = {{"network", &OCTETS4, false, PER_IP},
                           {"tsapIdentifier", &U16, false, PER_PORT}};
const PerType UNI_IP_T = Seq(UNI_IP, 2);
const PerField UNI_IPX[] = {{"node", &OCTETS6, false, 0},
                            {"netnum", &OCTETS4, false, 0},
                            {"tsapIdentifier", &OCTETS2, false, 0}};
const PerType UNI_IPX_T = Seq(UNI_IPX, 3);
const PerField UNI_IP6[] = {{"network", &OCTETS16, false, 0}, {"tsapIdentifier", &U16, false, 0}};
const PerType UNI_IP6_T = Seq(UNI_IP6, 2);
const PerType ROUTING_H245 = Choice(ROUTING, 2, false);
const PerField UNI_SRC_ROUTE[] = {{"routing", &ROUTING_H245, false, 0},
                                  {"network", &OCTETS4, false, 0},
                                  {"tsapIdentifier", &U16, false, 0},
                                  {"route", &ROUTE_T, false, 0}};
const PerType UNI_SRC_ROUTE_T = Seq(UNI_SRC_ROUTE, 4);
const PerField UNICAST[] = {{"iPAddress", &UNI_IP_T, false, 0},
                            {"iPXAddress", &UNI_IPX_T, false, 0},
                            {"iP6Address", &UNI_IP6_T, false, 0},
                            {"netBios", &OCTETS16, false, 0},
                            {"iPSourceRouteAddress", &UNI_SRC_ROUTE_T, false, 0},
                            {"nsap", nullptr, false, 0},
                            {"nonStandardAddress", nullptr, false, 0}};
const PerType UNICAST_T = Choice(UNICAST, 5);
const PerField MULTI_IP[] = {{"network", &OCTETS4, false, 0}, {"tsapIdentifier", &U16, false, 0}};
const PerType MULTI_IP_T = Seq(MULTI_IP, 2);
const PerField MULTI_IP6[] = {{"network", &OCTETS16, false, 0}, {"tsapIdentifier", &U16, false, 0}};
const PerType MULTI_IP6_T = Seq(MULTI_IP6, 2);
const PerField MULTICAST[] = {{"iPAddress", &MULTI_IP_T, false, 0},
                              {"iP6Address", &MULTI_IP6_T, false, 0},
                              {"nsap", nullptr, false, 0},
                              {"nonStandardAddress", nullptr, false, 0}};
const PerType MULTICAST_T = Choice(MULTICAST, 2);
const PerField H245_TA[] = {{"unicastAddress", &UNICAST_T, false, 0},
                            {"multicastAddress", &MULTICAST_T, false, 0}};
const PerType H245_TA_T = Choice(H245_TA, 2);

// DataType, as far as audio and the common video codecs go
const PerType AUDIO_FRAMES = Int(1, 256);
const PerField G7231[] = {{"maxAl-sduAudioFrames", &AUDIO_FRAMES, false, 0},
                          {"silenceSuppression", &BOOLEAN, false, 0}};
const PerType G7231_T = Seq(G7231, 2, false);
const PerField AUDIO[] = {{"nonStandard", &H245_NSP_T, false, 0},
                          {"g711Alaw64k", &AUDIO_FRAMES, false, 0},
                          {"g711Alaw56k", &AUDIO_FRAMES, false, 0},
                          {"g711Ulaw64k", &AUDIO_FRAMES, false, 0},
                          {"g711Ulaw56k", &AUDIO_FRAMES, false, 0},
                          {"g722-64k", &AUDIO_FRAMES, false, 0},
                          {"g722-56k", &AUDIO_FRAMES, false, 0},
                          {"g722-48k", &AUDIO_FRAMES, false, 0},
                          {"g7231", &G7231_T, false, 0},
                          {"g728", &AUDIO_FRAMES, false, 0},
                          {"g729", &AUDIO_FRAMES, false, 0},
                          {"g729AnnexA", &AUDIO_FRAMES, false, 0},
                          {"is11172AudioCapability", nullptr, false, 0},
                          {"is13818AudioCapability", nullptr, false, 0}};
const PerType AUDIO_T = Choice(AUDIO, 14);
const PerType MPI4 = Int(1, 4);
const PerType MPI32 = Int(1, 32);
const PerType RATE_H261 = Int(1, 19200);
const PerType RATE_H263 = Int(1, 192400);
const PerType HRD_B = Int(0, 524287);
const PerField H261[] = {{"qcifMPI", &MPI4, true, 0},
                         {"cifMPI", &MPI4, true, 0},
                         {"temporalSpatialTradeOffCapability", &BOOLEAN, false, 0},
                         {"maxBitRate", &RATE_H261, false, 0},
                         {"stillImageTransmission", &BOOLEAN, false, 0}};
const PerType H261_T = Seq(H261, 5);
const PerField H263[] = {{"sqcifMPI", &MPI32, true, 0},
                         {"qcifMPI", &MPI32, true, 0},
                         {"cifMPI", &MPI32, true, 0},
                         {"cif4MPI", &MPI32, true, 0},
                         {"cif16MPI", &MPI32, true, 0},
                         {"maxBitRate", &RATE_H263, false, 0},
                         {"unrestrictedVector", &BOOLEAN, false, 0},
                         {"arithmeticCoding", &BOOLEAN, false, 0},
                         {"advancedPrediction", &BOOLEAN, false, 0},
                         {"pbFrames", &BOOLEAN, false, 0},
                         {"temporalSpatialTradeOffCapability", &BOOLEAN, false, 0},
                         {"hrd-B", &HRD_B, true, 0},
                         {"bppMaxKb", &U16, true, 0}};
const PerType H263_T = Seq(H263, 13);
const PerField VIDEO[] = {{"nonStandard", &H245_NSP_T, false, 0},
                          {"h261VideoCapability", &H261_T, false, 0},
                          {"h262VideoCapability", nullptr, false, 0},
                          {"h263VideoCapability", &H263_T, false, 0},
                          {"is11172VideoCapability", nullptr, false, 0}};
const PerType VIDEO_T = Choice(VIDEO, 5);
const PerField DATA_TYPE[] = {{"nonStandard", &H245_NSP_T, false, 0},
                              {"nullData", &NUL, false, 0},
                              {"videoData", &VIDEO_T, false, 0},
                              {"audioData", &AUDIO_T, false, 0},
                              {"data", nullptr, false, 0},
                              {"encryptionData", nullptr, false, 0}};
const PerType DATA_TYPE_T = Choice(DATA_TYPE, 6);

const PerType SESSION_ID = Int(0, 255);
const PerType SESSION_ID1 = Int(1, 255);
const PerType PAYLOAD_TYPE = Int(96, 127);
const PerType TERMINAL_NUMBER = Int(0, 192);
const PerField TERMINAL_LABEL[] = {{"mcuNumber", &TERMINAL_NUMBER, false, 0},
                                   {"terminalNumber", &TERMINAL_NUMBER, false, 0}};
const PerType TERMINAL_LABEL_T = Seq(TERMINAL_LABEL, 2);
const PerField MEDIA_PACKETIZATION[] = {{"h261aVideoPacketization", &NUL, false, 0}};
const PerType MEDIA_PACKETIZATION_T = Choice(MEDIA_PACKETIZATION, 1);
const PerField H2250_PARAMS[] = {{"nonStandard", &H245_NSP_LIST, true, 0},
                                 {"sessionID", &SESSION_ID, false, 0},
                                 {"associatedSessionID", &SESSION_ID1, true, 0},
                                 {"mediaChannel", &H245_TA_T, true, H323_MEDIA},
                                 {"mediaGuaranteedDelivery", &BOOLEAN, true, 0},
                                 {"mediaControlChannel", &H245_TA_T, true, H323_MEDIA_CONTROL},
                                 {"mediaControlGuaranteedDelivery", &BOOLEAN, true, 0},
                                 {"silenceSuppression", &BOOLEAN, true, 0},
                                 {"destination", &TERMINAL_LABEL_T, true, 0},
                                 {"dynamicRTPPayloadType", &PAYLOAD_TYPE, true, 0},
                                 {"mediaPacketization", &MEDIA_PACKETIZATION_T, true, 0}};
const PerType H2250_PARAMS_T = Seq(H2250_PARAMS, 11);

const PerField FWD_MUX[] = {{"h222LogicalChannelParameters", nullptr, false, 0},
                            {"h223LogicalChannelParameters", nullptr, false, 0},
                            {"v76LogicalChannelParameters", nullptr, false, 0},
                            {"h2250LogicalChannelParameters", &H2250_PARAMS_T, false, 0},
                            {"none", &NUL, false, 0}};
const PerType FWD_MUX_T = Choice(FWD_MUX, 3);
const PerField FWD_PARAMS[] = {{"portNumber", &U16, true, 0},
                               {"dataType", &DATA_TYPE_T, false, 0},
                               {"multiplexParameters", &FWD_MUX_T, false, 0}};
const PerType FWD_PARAMS_T = Seq(FWD_PARAMS, 3);
const PerField REV_MUX[] = {{"h223LogicalChannelParameters", nullptr, false, 0},
                            {"v76LogicalChannelParameters", nullptr, false, 0},
                            {"h2250LogicalChannelParameters", &H2250_PARAMS_T, false, 0}};
const PerType REV_MUX_T = Choice(REV_MUX, 2);
const PerField REV_PARAMS[] = {{"dataType", &DATA_TYPE_T, false, 0},
                               {"multiplexParameters", &REV_MUX_T, true, 0}};
const PerType REV_PARAMS_T = Seq(REV_PARAMS, 2);
const PerField OLC[] = {{"forwardLogicalChannelNumber", &SEQNUM, false, 0},
                        {"forwardLogicalChannelParameters", &FWD_PARAMS_T, false, 0},
                        {"reverseLogicalChannelParameters", &REV_PARAMS_T, true, 0},
                        {"separateStack", nullptr, false, 0},
                        {"encryptionSync", nullptr, false, 0}};

const PerField OLCA_REV_MUX[] = {{"h222LogicalChannelParameters", nullptr, false, 0},
                                 {"h2250LogicalChannelParameters", &H2250_PARAMS_T, false, 0}};
const PerType OLCA_REV_MUX_T = Choice(OLCA_REV_MUX, 1);
const PerField OLCA_REV[] = {{"reverseLogicalChannelNumber", &SEQNUM, false, 0},
                             {"portNumber", &U16, true, 0},
                             {"multiplexParameters", &OLCA_REV_MUX_T, true, 0}};
const PerType OLCA_REV_T = Seq(OLCA_REV, 3);
const PerField H2250_ACK[] = {{"nonStandard", &H245_NSP_LIST, true, 0},
                              {"sessionID", &SESSION_ID1, true, 0},
                              {"mediaChannel", &H245_TA_T, true, H323_MEDIA},
                              {"mediaControlChannel", &H245_TA_T, true, H323_MEDIA_CONTROL},
                              {"dynamicRTPPayloadType", &PAYLOAD_TYPE, true, 0}};
const PerType H2250_ACK_T = Seq(H2250_ACK, 5);
const PerField FWD_MUX_ACK[] = {{"h2250LogicalChannelAckParameters", &H2250_ACK_T, false, 0}};
const PerType FWD_MUX_ACK_T = Choice(FWD_MUX_ACK, 1);
const PerField OLC_ACK[] = {{"forwardLogicalChannelNumber", &SEQNUM, false, 0},
                            {"reverseLogicalChannelParameters", &OLCA_REV_T, true, 0},
                            {"separateStack", nullptr, false, 0},
                            {"forwardMultiplexAckParameters", &FWD_MUX_ACK_T, false, 0}};
const PerType OLC_ACK_T = Seq(OLC_ACK, 2);
} // namespace

const PerType H245_OPEN_LOGICAL_CHANNEL = Seq(OLC, 3);

namespace
{
const PerField REQUEST[] = {{"nonStandard", nullptr, false, 0},
                            {"masterSlaveDetermination", nullptr, false, 0},
                            {"terminalCapabilitySet", nullptr, false, 0},
                            {"openLogicalChannel", &H245_OPEN_LOGICAL_CHANNEL, false, 0}};
const PerType REQUEST_T = Choice(REQUEST, 11);
const PerField RESPONSE[] = {{"nonStandard", nullptr, false, 0},
                             {"masterSlaveDeterminationAck", nullptr, false, 0},
                             {"masterSlaveDeterminationReject", nullptr, false, 0},
                             {"terminalCapabilitySetAck", nullptr, false, 0},
                             {"terminalCapabilitySetReject", nullptr, false, 0},
                             {"openLogicalChannelAck", &OLC_ACK_T, false, 0}};
const PerType RESPONSE_T = Choice(RESPONSE, 19);
const PerField MSCM[] = {{"request", &REQUEST_T, false, 0},
                         {"response", &RESPONSE_T, false, 0},
                         {"command", nullptr, false, 0},
                         {"indication", nullptr, false, 0}};
} // namespace

const PerType H245_MESSAGE = Choice(MSCM, 4);

namespace
{
// ---- H.225.0 call signalling (user-user information)
const PerType OLC_OCTETS = Octets(0, -1, &H245_OPEN_LOGICAL_CHANNEL);
const PerType FAST_START = SeqOf(&OLC_OCTETS);
const PerType H245_OCTETS = Octets(0, -1, &H245_MESSAGE);
const PerType H245_CONTROL = SeqOf(&H245_OCTETS);
const PerField CALL_IDENTIFIER[] = {{"guid", &OCTETS16, false, 0}};
const PerType CALL_IDENTIFIER_T = Seq(CALL_IDENTIFIER, 1);

const PerField SETUP[] = {{"protocolIdentifier", &OID, false, 0},
                          {"h245Address", &TA, true, H323_H245_ADDRESS},
                          {"sourceAddress", &ALIAS_LIST, true, 0},
                          {"sourceInfo", &ENDPOINT_TYPE_T, false, 0},
                          {"destinationAddress", &ALIAS_LIST, true, 0},
                          {"destCallSignalAddress", &TA, true, H323_DEST_CSA},
                          {"destExtraCallInfo", &ALIAS_LIST, true, 0},
                          {"destExtraCRV", &SEQNUM_LIST, true, 0},
                          {"activeMC", &BOOLEAN, false, 0},
                          {"conferenceID", &OCTETS16, false, 0},
                          {"conferenceGoal", &CONFERENCE_GOAL, false, 0},
                          {"callServices", &QSERIES_T, true, 0},
                          {"callType", &CALL_TYPE, false, 0},
                          // extension additions
                          {"sourceCallSignalAddress", &TA, false, H323_SOURCE_CSA},
                          {"remoteExtensionAddress", nullptr, false, 0},
                          {"callIdentifier", &CALL_IDENTIFIER_T, false, 0},
                          {"h245SecurityCapability", nullptr, false, 0},
                          {"tokens", nullptr, false, 0},
                          {"cryptoTokens", nullptr, false, 0},
                          {"fastStart", &FAST_START, false, 0}};
const PerType SETUP_T = Seq(SETUP, 13);

/// Members shared by CallProceeding and Alerting.
const PerField PROCEEDING[] = {{"protocolIdentifier", &OID, false, 0},
                               {"destinationInfo", &ENDPOINT_TYPE_T, false, 0},
                               {"h245Address", &TA, true, H323_H245_ADDRESS},
                               {"callIdentifier", &CALL_IDENTIFIER_T, false, 0},
                               {"h245SecurityMode", nullptr, false, 0},
                               {"tokens", nullptr, false, 0},
                               {"cryptoTokens", nullptr, false, 0},
                               {"fastStart", &FAST_START, false, 0}};
const PerType PROCEEDING_T = Seq(PROCEEDING, 3);
const PerField CONNECT[] = {{"protocolIdentifier", &OID, false, 0},
                            {"h245Address", &TA, true, H323_H245_ADDRESS},
                            {"destinationInfo", &ENDPOINT_TYPE_T, false, 0},
                            {"conferenceID", &OCTETS16, false, 0},
                            {"callIdentifier", &CALL_IDENTIFIER_T, false, 0},
                            {"h245SecurityMode", nullptr, false, 0},
                            {"tokens", nullptr, false, 0},
                            {"cryptoTokens", nullptr, false, 0},
                            {"fastStart", &FAST_START, false, 0}};
const PerType CONNECT_T = Seq(CONNECT, 4);
const PerField FACILITY[] = {{"protocolIdentifier", &OID, false, 0},
                             {"alternativeAddress", &TA, true, H323_ALTERNATIVE},
                             {"alternativeAliasAddress", &ALIAS_LIST, true, 0},
                             {"conferenceID", &OCTETS16, true, 0},
                             {"reason", &FACILITY_REASON, false, 0},
                             {"callIdentifier", &CALL_IDENTIFIER_T, false, 0},
                             {"destExtraCallInfo", nullptr, false, 0},
                             {"remoteExtensionAddress", nullptr, false, 0},
                             {"tokens", nullptr, false, 0},
                             {"cryptoTokens", nullptr, false, 0},
                             {"conferences", nullptr, false, 0},
                             {"h245Address", &TA, false, H323_H245_ADDRESS},
                             {"fastStart", &FAST_START, false, 0}};
const PerType FACILITY_T = Seq(FACILITY, 5);
const PerField PROGRESS[] = {{"protocolIdentifier", &OID, false, 0},
                             {"destinationInfo", &ENDPOINT_TYPE_T, false, 0},
                             {"h245Address", &TA, true, H323_H245_ADDRESS},
                             {"callIdentifier", &CALL_IDENTIFIER_T, false, 0},
                             {"h245SecurityMode", nullptr, true, 0},
                             {"tokens", nullptr, true, 0},
                             {"cryptoTokens", nullptr, true, 0},
                             {"fastStart", &FAST_START, true, 0}};
const PerType PROGRESS_T = Seq(PROGRESS, 8);
const PerField BODY[] = {{"setup", &SETUP_T, false, 0},
                         {"callProceeding", &PROCEEDING_T, false, 0},
                         {"connect", &CONNECT_T, false, 0},
                         {"alerting", &PROCEEDING_T, false, 0},
                         {"information", nullptr, false, 0},
                         {"releaseComplete", nullptr, false, 0},
                         {"facility", &FACILITY_T, false, 0},
                         {"progress", &PROGRESS_T, false, 0},
                         {"empty", &NUL, false, 0}};
const PerType BODY_T = Choice(BODY, 7);
const PerField UU_PDU[] = {{"h323-message-body", &BODY_T, false, 0},
                           {"nonStandardData", &NSP, true, 0},
                           {"h4501SupplementaryService", nullptr, false, 0},
                           {"h245Tunneling", &BOOLEAN, false, 0},
                           {"h245Control", &H245_CONTROL, false, 0}};
const PerType UU_PDU_T = Seq(UU_PDU, 2);
const PerField USER_INFORMATION[] = {{"h323-uu-pdu", &UU_PDU_T, false, 0},
                                     {"user-data", nullptr, true, 0}};
} // namespace

const PerType H225_USER_INFORMATION = Seq(USER_INFORMATION, 2);

namespace
{
// ---- RAS
const PerType PRIORITY = Int(0, 127);
const PerField ALTERNATE_GK[] = {{"rasAddress", &TA, false, H323_ALTERNATE_GK},
                                 {"gatekeeperIdentifier", &BMP_1_128, true, 0},
                                 {"needToRegister", &BOOLEAN, false, 0},
                                 {"priority", &PRIORITY, false, 0}};
const PerType ALTERNATE_GK_T = Seq(ALTERNATE_GK, 4);
const PerType ALTERNATE_GK_LIST = SeqOf(&ALTERNATE_GK_T);

const PerField GRQ[] = {{"requestSeqNum", &SEQNUM, false, 0},
                        {"protocolIdentifier", &OID, false, 0},
                        {"nonStandardData", &NSP, true, 0},
                        {"rasAddress", &TA, false, H323_RAS_ADDRESS},
                        {"endpointType", &ENDPOINT_TYPE_T, false, 0},
                        {"gatekeeperIdentifier", &BMP_1_128, true, 0},
                        {"callServices", &QSERIES_T, true, 0},
                        {"endpointAlias", &ALIAS_LIST, true, 0}};
const PerType GRQ_T = Seq(GRQ, 8);
const PerField GCF[] = {{"requestSeqNum", &SEQNUM, false, 0},
                        {"protocolIdentifier", &OID, false, 0},
                        {"nonStandardData", &NSP, true, 0},
                        {"gatekeeperIdentifier", &BMP_1_128, true, 0},
                        {"rasAddress", &TA, false, H323_RAS_ADDRESS},
                        {"alternateGatekeeper", &ALTERNATE_GK_LIST, false, 0}};
const PerType GCF_T = Seq(GCF, 5);
const PerField RRQ[] = {{"requestSeqNum", &SEQNUM, false, 0},
                        {"protocolIdentifier", &OID, false, 0},
                        {"nonStandardData", &NSP, true, 0},
                        {"discoveryComplete", &BOOLEAN, false, 0},
                        {"callSignalAddress", &TA_LIST, false, H323_CALL_SIGNAL},
                        {"rasAddress", &TA_LIST, false, H323_RAS_ADDRESS},
                        {"terminalType", &ENDPOINT_TYPE_T, false, 0},
                        {"terminalAlias", &ALIAS_LIST, true, 0},
                        {"gatekeeperIdentifier", &BMP_1_128, true, 0},
                        {"endpointVendor", &VENDOR_T, false, 0}};
const PerType RRQ_T = Seq(RRQ, 10);
const PerField RCF[] = {{"requestSeqNum", &SEQNUM, false, 0},
                        {"protocolIdentifier", &OID, false, 0},
                        {"nonStandardData", &NSP, true, 0},
                        {"callSignalAddress", &TA_LIST, false, H323_CALL_SIGNAL},
                        {"terminalAlias", &ALIAS_LIST, true, 0},
                        {"gatekeeperIdentifier", &BMP_1_128, true, 0},
                        {"endpointIdentifier", &BMP_1_128, false, 0},
                        {"alternateGatekeeper", &ALTERNATE_GK_LIST, false, 0}};
const PerType RCF_T = Seq(RCF, 7);
const PerField ARQ[] = {{"requestSeqNum", &SEQNUM, false, 0},
                        {"callType", &CALL_TYPE, false, 0},
                        {"callModel", &CALL_MODEL, true, 0},
                        {"endpointIdentifier", &BMP_1_128, false, 0},
                        {"destinationInfo", &ALIAS_LIST, true, 0},
                        {"destCallSignalAddress", &TA, true, H323_DEST_CSA},
                        {"destExtraCallInfo", &ALIAS_LIST, true, 0},
                        {"srcInfo", &ALIAS_LIST, false, 0},
                        {"srcCallSignalAddress", &TA, true, H323_SOURCE_CSA},
                        {"bandWidth", &U32, false, 0},
                        {"callReferenceValue", &U16, false, 0},
                        {"nonStandardData", &NSP, true, 0},
                        {"callServices", &QSERIES_T, true, 0},
                        {"conferenceID", &OCTETS16, false, 0},
                        {"activeMC", &BOOLEAN, false, 0},
                        {"answerCall", &BOOLEAN, false, 0}};
const PerType ARQ_T = Seq(ARQ, 16);
const PerType IRR_FREQUENCY = Int(1, 65535);
const PerField ACF[] = {{"requestSeqNum", &SEQNUM, false, 0},
                        {"bandWidth", &U32, false, 0},
                        {"callModel", &CALL_MODEL, false, 0},
                        {"destCallSignalAddress", &TA, false, H323_DEST_CSA},
                        {"irrFrequency", &IRR_FREQUENCY, true, 0},
                        {"nonStandardData", &NSP, true, 0}};
const PerType ACF_T = Seq(ACF, 6);
const PerField LRQ[] = {{"requestSeqNum", &SEQNUM, false, 0},
                        {"endpointIdentifier", &BMP_1_128, true, 0},
                        {"destinationInfo", &ALIAS_LIST, false, 0},
                        {"nonStandardData", &NSP, true, 0},
                        {"replyAddress", &TA, false, H323_REPLY_ADDRESS}};
const PerType LRQ_T = Seq(LRQ, 5);
const PerField LCF[] = {{"requestSeqNum", &SEQNUM, false, 0},
                        {"callSignalAddress", &TA, false, H323_CALL_SIGNAL},
                        {"rasAddress", &TA, false, H323_RAS_ADDRESS},
                        {"nonStandardData", &NSP, true, 0}};
const PerType LCF_T = Seq(LCF, 4);
const PerField RAS[] = {
    {"gatekeeperRequest", &GRQ_T, false, 0},      {"gatekeeperConfirm", &GCF_T, false, 0},
    {"gatekeeperReject", nullptr, false, 0},      {"registrationRequest", &RRQ_T, false, 0},
    {"registrationConfirm", &RCF_T, false, 0},    {"registrationReject", nullptr, false, 0},
    {"unregistrationRequest", nullptr, false, 0}, {"unregistrationConfirm", nullptr, false, 0},
    {"unregistrationReject", nullptr, false, 0},  {"admissionRequest", &ARQ_T, false, 0},
    {"admissionConfirm", &ACF_T, false, 0},       {"admissionReject", nullptr, false, 0},
    {"bandwidthRequest", nullptr, false, 0},      {"bandwidthConfirm", nullptr, false, 0},
    {"bandwidthReject", nullptr, false, 0},       {"disengageRequest", nullptr, false, 0},
    {"disengageConfirm", nullptr, false, 0},      {"disengageReject", nullptr, false, 0},
    {"locationRequest", &LRQ_T, false, 0},        {"locationConfirm", &LCF_T, false, 0}};
} // namespace

const PerType H225_RAS_MESSAGE = Choice(RAS, 25);

const char*
H323RoleName(uint8_t role)
{
    static const char* const names[] = {"none",
                                        "h245Address",
                                        "sourceCallSignalAddress",
                                        "destCallSignalAddress",
                                        "alternativeAddress",
                                        "rasAddress",
                                        "callSignalAddress",
                                        "alternateGatekeeper",
                                        "replyAddress",
                                        "mediaChannel",
                                        "mediaControlChannel"};
    return role < std::size(names) ? names[role] : "?";
}

} // namespace ns3
